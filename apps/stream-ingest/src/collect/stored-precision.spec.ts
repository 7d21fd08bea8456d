import { roundToStoredPrecision } from './stored-precision';

describe('roundToStoredPrecision', () => {
  it.each([
    [83.41729345, 83.41729],
    [0.123456789, 0.1234568],
    [1234567.89, 1234568],
    [98765432109, 98765430000],
    [-2.5000000001, -2.5],
    [0.00001234567891, 0.00001234568],
  ])('%p keeps 7 significant digits: %p', (input, expected) => {
    expect(roundToStoredPrecision(input)).toBe(expected);
  });

  it('leaves zero, NaN and infinities alone', () => {
    expect(roundToStoredPrecision(0)).toBe(0);
    expect(roundToStoredPrecision(Number.NaN)).toBeNaN();
    expect(roundToStoredPrecision(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });

  it('is idempotent, so replayed (RSET) and live values agree', () => {
    for (const v of [3.14159265358979, 1e-7 / 3, 7e12 / 3, 100 / 7]) {
      const once = roundToStoredPrecision(v);
      expect(roundToStoredPrecision(once)).toBe(once);
    }
  });
});
