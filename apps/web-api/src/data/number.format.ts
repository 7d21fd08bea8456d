/** Netdata prints data values as "%0.7f" with trailing zeros (and a trailing dot) removed. */
export function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const s = v.toFixed(7);
  const trimmed = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  return trimmed === '-0' ? '0' : trimmed;
}

/** allmetrics json: Netdata's "%0.7f". */
export function formatFixed7(v: number): string {
  return v.toFixed(7);
}

/** "YYYY-MM-DD HH:MM:SS" in the server's local time, as Netdata's csv. */
export function formatDateTime(epochS: number): string {
  const d = new Date(epochS * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
