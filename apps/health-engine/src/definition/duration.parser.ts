// Netdata durations: a number with an optional unit (s m h d w M y); no unit means seconds.
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 7 * 86400, M: 30 * 86400, y: 365 * 86400 };

/** Returns seconds, or NaN when the text is not a duration. */
export function parseDuration(text: string): number {
  const m = /^([+-]?\d+(?:\.\d+)?)(ms|[smhdwMy])?$/.exec(text.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  if (m[2] === 'ms') return n / 1000;
  return Math.round(n * (m[2] ? UNITS[m[2]] : 1));
}
