import { decodePage, encodePage, pageCount } from './page.codec';

function roundTrip(times: number[], values: number[], flags?: number[]): { bytes: number } {
  const t = Uint32Array.from(times);
  const v = Float64Array.from(values);
  const f = Uint8Array.from(flags ?? values.map(() => 0));
  const page = encodePage(t, v, f, 0, t.length);
  const d = decodePage(page);
  expect(pageCount(page)).toBe(t.length);
  expect(Array.from(d.times)).toEqual(times);
  expect(Array.from(d.flags)).toEqual(Array.from(f));
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i])) expect(d.values[i]).toBeNaN();
    else expect(Object.is(d.values[i], v[i])).toBe(true);
  }
  return { bytes: page.length };
}

const regular = (n: number, start = 1_700_000_000, every = 1) => Array.from({ length: n }, (_, i) => start + i * every);

describe('page codec', () => {
  it('stores a constant regular series in well under a byte per point', () => {
    const { bytes } = roundTrip(regular(1024), new Array(1024).fill(0));
    expect(bytes / 1024).toBeLessThan(0.3);
  });

  it('round-trips integers, decimals and gaps in decimal mode', () => {
    const vals = regular(500).map((_, i) => (i % 17 === 0 ? NaN : i % 5 === 0 ? 1234567 : Math.round(Math.sin(i) * 1000) / 100));
    roundTrip(regular(500), vals);
  });

  it('round-trips arbitrary float64 values (XOR mode), infinities and -0', () => {
    const vals = regular(300).map((_, i) => (i === 7 ? -0 : i === 9 ? Infinity : i === 11 ? NaN : Math.random() * 1e6 - 5e5));
    roundTrip(regular(300), vals);
  });

  it('round-trips counter-reset flags, irregular times and huge values', () => {
    const times = [100, 101, 102, 110, 111, 4_000_000_000, 4_000_000_001, 4_000_000_001];
    const values = [1, 2, 2 ** 51, -(2 ** 51), 3.5, 1e300, -1e-300, 0];
    roundTrip(times, values, [0, 1, 0, 0, 1, 0, 0, 1]);
  });

  it('encodes a single point', () => {
    roundTrip([42], [0.1]);
  });
});

describe('page codec value modes', () => {
  it('picks the significant-digits mode for noisy 7-digit values and stays lossless', () => {
    const vals = regular(1024).map((_, i) => {
      const x = Math.abs(Math.sin(i * 12.9898) * 43758.5453) % 1;
      return Number((x * 10 ** ((i % 5) - 1)).toPrecision(7));
    });
    const { bytes } = roundTrip(regular(1024), vals);
    // ~23 bits of digits + exponent changes: well under the 8 bytes of a float64, where XOR gets little.
    expect(bytes / 1024).toBeLessThan(4.8);
  });

  it('round-trips deltas in every width (6..53 bits) and mixed exponents', () => {
    const vals = [0, 1, -1, 40, 5000, -7_000_000, 3e9, -4e10, 2 ** 50, 1.5, 0.001, 123.4567, NaN, 1e-9, 7];
    roundTrip(regular(vals.length), vals);
    roundTrip(regular(vals.length), vals.map((v) => v * 10));
  });
});
