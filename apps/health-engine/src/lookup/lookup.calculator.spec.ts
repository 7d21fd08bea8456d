import { DimensionRing } from './dimension.ring';
import { computeLookup, groupRing, lookupWindow } from './lookup.calculator';
import { lookupSpecOf as parseLookup } from '../definition/config-lib.health-source';

function ring(values: number[], start = 100): DimensionRing {
  const r = new DimensionRing(16);
  values.forEach((v, i) => r.push(start + i + 1, v));
  return r;
}

describe('lookup', () => {
  it('parses methods, windows, options and dimensions', () => {
    const l = parseLookup('average -10m at -5m unaligned absolute match-names percentage of user,system');
    expect(l).toMatchObject({ method: 'average', after: -600, before: -300, unaligned: true, absolute: true, percentage: true });
    expect(l.dimensions).toBe('user system');
    expect(l.matchNames).toBe(true);
    expect(l.matchIds).toBe(false);
    expect(() => parseLookup('bogus -10s')).toThrow('invalid group method');
    expect(() => parseLookup('percentile95 -10s')).toThrow('not supported by health-engine');
    expect(parseLookup('max -10s foreach user,sys*').foreach).toBe('user sys*');
    expect(() => parseLookup('average -5m anomaly-bit of *')).toThrow("'anomaly-bit' is not supported");
  });

  it('groups a window with every method', () => {
    const r = ring([4, 8, -6, 2, 10]); // times 101..105
    expect(groupRing(r, 'average', 100, 105, false)).toBeCloseTo(3.6);
    expect(groupRing(r, 'min', 100, 105, false)).toBe(-6);
    expect(groupRing(r, 'max', 100, 105, false)).toBe(10);
    expect(groupRing(r, 'sum', 100, 105, false)).toBe(18);
    expect(groupRing(r, 'sum', 100, 105, true)).toBe(30);
    expect(groupRing(r, 'incremental-sum', 100, 105, false)).toBe(6);
    expect(groupRing(r, 'median', 100, 105, false)).toBe(4);
    expect(groupRing(r, 'median', 101, 105, false)).toBe(5);
    expect(groupRing(r, 'stddev', 100, 105, false)).toBeCloseTo(6.2290, 3);
    expect(groupRing(r, 'cv', 100, 105, false)).toBeCloseTo((100 * 6.229) / 3.6, 1);
    expect(groupRing(r, 'average', 103, 105, false)).toBe(6); // window is (after, before]
    expect(groupRing(r, 'average', 200, 210, false)).toBeNaN();
  });

  it('reads a wrapped ring in time order and keeps only the newest points', () => {
    const r = new DimensionRing(4);
    for (let t = 1; t <= 10; t++) r.push(t, t * 10);
    r.push(10, 1000); // same second: replaced
    r.push(9, 5); // older than the newest: dropped
    expect(r.length).toBe(4);
    expect(groupRing(r, 'sum', 0, 100, false)).toBe(70 + 80 + 90 + 1000);
    expect(groupRing(r, 'incremental-sum', 7, 10, false)).toBe(1000 - 80);
    r.prepend([1, 2, 3], [1, 2, 3]); // all older than what the ring holds and it is full: kept newest 4
    expect(groupRing(r, 'min', 0, 100, false)).toBe(70);
  });

  it('aligns windows unless unaligned', () => {
    const w = { after: 0, before: 0 };
    expect(lookupWindow(parseLookup('average -10s'), 1005, w)).toEqual({ after: 990, before: 1000 });
    expect(lookupWindow(parseLookup('average -10s unaligned'), 1005, w)).toEqual({ after: 995, before: 1005 });
    expect(lookupWindow(parseLookup('average -10s at -5s unaligned'), 1005, w)).toEqual({ after: 990, before: 1000 });
  });

  it('sums selected dimensions, as percentage of all, or min2max', () => {
    const rings = [ring([10, 10]), ring([30, 30]), ring([60, 60])];
    const w = { after: 100, before: 102 };
    expect(computeLookup(parseLookup('average -2s of a'), rings, Uint8Array.of(1, 1, 0), w)).toBe(40);
    expect(computeLookup(parseLookup('average -2s percentage'), rings, Uint8Array.of(1, 0, 0), w)).toBe(10);
    expect(computeLookup(parseLookup('average -2s min2max'), rings, Uint8Array.of(1, 1, 1), w)).toBe(50);
    expect(computeLookup(parseLookup('average -2s'), [null, null], Uint8Array.of(1, 1), w)).toBeNaN();
    expect(computeLookup(parseLookup('average -2s null2zero'), [null], Uint8Array.of(1), w)).toBe(0);
  });
});
