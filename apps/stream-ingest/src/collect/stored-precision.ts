// Netdata 1.37 keeps stored values as storage_number: a 24-bit mantissa with a decimal multiplier, about 7
// significant digits. Rounding our stored values the same way keeps what a Netdata parent would keep (lossless for
// the values Netdata stores) and lets metric-store's decimal page encoding reach under a byte per sample.
const POW10: number[] = [];
for (let i = 0; i <= 22; i++) POW10.push(10 ** i);

const DIGITS = 7;

export function roundToStoredPrecision(v: number): number {
  if (v === 0 || !Number.isFinite(v)) return v;
  const e = Math.floor(Math.log10(Math.abs(v)));
  const k = DIGITS - 1 - e;
  if (k > 22 || k < -22) return v;
  // Both operands exact (an integer and a power of ten up to 1e22): the result is the double nearest the decimal.
  if (k >= 0) return Math.round(v * (POW10[k] as number)) / (POW10[k] as number);
  const d = POW10[-k] as number;
  return Math.round(v / d) * d;
}
