// Netdata keeps an alarm's id stable for the same host/chart/name so that its log reads as one story across restarts;
// a 32-bit FNV-1a of "chart/name" gives that without storing a table.
export function alarmIdOf(chart: string, name: string): number {
  let h = 0x811c9dc5;
  const s = `${chart}/${name}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) || 1;
}
