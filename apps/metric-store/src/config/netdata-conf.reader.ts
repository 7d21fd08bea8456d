/**
 * Reads `[db] cleanup orphan hosts after secs` (or its pre-1.35 home `[global]`) from netdata.conf text.
 * Only this one key matters to metric-store; the full parser belongs to @tributary/config.
 */
export function readOrphanCleanupSecs(text: string, file: string): number | undefined {
  let section = '';
  let found: number | undefined;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[(.+)\]$/.exec(line);
    if (sec) {
      section = sec[1].trim();
      continue;
    }
    if (section !== 'db' && section !== 'global') continue;
    const kv = /^cleanup orphan hosts after secs\s*=\s*(.*)$/.exec(line);
    if (!kv) continue;
    const n = Number(kv[1].trim());
    if (!Number.isInteger(n) || n < 0) {
      throw new Error(`${file}:${i + 1}: cleanup orphan hosts after secs = ${kv[1].trim()}: expected seconds >= 0`);
    }
    found = n;
  }
  return found;
}
