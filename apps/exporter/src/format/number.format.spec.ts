import { formatCollected, formatCompact, formatFixed7, formatInteger } from './number.format';

describe('printf-compatible numbers', () => {
  it.each([
    [1.5, '1.5000000'],
    [-2.5, '-2.5000000'],
    [92.363077, '92.3630770'],
    [0, '0.0000000'],
    [-0, '-0.0000000'],
    [-1e-9, '-0.0000000'],
    [1e21, '1000000000000000000000.0000000'],
    [123456789.12345679, '123456789.1234568'],
    // exact binary ties round to even in glibc, away from zero in toFixed
    [0.00390625, '0.0039062'],
    [0.01171875, '0.0117188'],
  ])('%%0.7f of %p is %s', (v, s) => {
    expect(formatFixed7(v)).toBe(s);
  });
  it('%lld and collected values', () => {
    expect(formatInteger(12345678901234)).toBe('12345678901234');
    expect(formatInteger(2 ** 63)).toBe('9223372036854775808');
    expect(formatCollected(20)).toBe('20');
    expect(formatCollected(0.5)).toBe('0.5000000');
  });
  it('compact printer drops trailing zeros', () => {
    expect(formatCompact(2.5)).toBe('2.5');
    expect(formatCompact(3)).toBe('3');
    expect(formatCompact(0.1234567891)).toBe('0.1234568');
    expect(formatCompact(-0.00000001)).toBe('0');
  });
});
