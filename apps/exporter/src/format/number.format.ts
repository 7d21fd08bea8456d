// C printf compatibility: Netdata prints floating values with "%0.7f" and integers with "%lld".

/** printf("%0.7f", v): round-half-even on exact binary ties and full digits for huge values, unlike toFixed. */
export function formatFixed7(v: number): string {
  if (v !== v) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  const neg = v < 0 || Object.is(v, -0);
  const a = neg ? -v : v;
  let body: string;
  if (a >= 1e21) {
    body = BigInt(a).toString() + '.0000000';
  } else {
    body = a.toFixed(7);
    // toFixed rounds exact ties away from zero; glibc rounds them to even.
    const scaled = a * 1e7;
    const floor = Math.floor(scaled);
    if (scaled - floor === 0.5 && floor % 2 === 0 && a < 1e8 && (floor + 0.5) / 1e7 === a) {
      body = (floor / 1e7).toFixed(7);
    }
  }
  return neg ? '-' + body : body;
}

/** printf("%lld", v) for an integral double. */
export function formatInteger(v: number): string {
  if (Math.abs(v) < 9007199254740992) return String(v === 0 ? 0 : v);
  return BigInt(v).toString();
}

/** Collected values are integers in Netdata unless the collector sent a float: print each in its C form. */
export function formatCollected(v: number): string {
  return Number.isInteger(v) ? formatInteger(v) : formatFixed7(v);
}

/** Netdata's compact double printer used by the scrape endpoint: %0.7f without trailing zeros. */
export function formatCompact(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 9007199254740992) return String(v === 0 ? 0 : v);
  let s = formatFixed7(v);
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  if (end > 0 && s.charCodeAt(end - 1) === 46) end--;
  s = s.slice(0, end);
  return s === '-0' ? '0' : s;
}
