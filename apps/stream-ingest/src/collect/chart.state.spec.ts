import { Algorithm } from './algorithm';
import { ChartState } from './chart.state';
import { PointSink } from './point.sink';

class Points implements PointSink {
  rows: [number, number, number, number][] = [];
  collected: number[] = [];
  point(_c: number, d: number, t: number, v: number, f: number, raw: number): void {
    this.rows.push([d, t, v, f]);
    this.collected.push(raw);
  }
  values(dim = 0): number[] {
    return this.rows.filter((r) => r[0] === dim).map((r) => r[2]);
  }
}

const T0 = 1_800_000_000 * 1e6; // aligned second
const S = 1_000_000;

function feed(c: ChartState, sink: Points, us: number, now: number, values: number[]): void {
  c.begin(us, now);
  values.forEach((v, i) => c.dims[i].set(v));
  c.done(now, sink);
}

describe('ChartState (rrdset_done)', () => {
  it('absolute with multiplier/divisor; the first value is never stored; slots on update_every', () => {
    const c = new ChartState('x.y', 1, 0);
    c.addDimension('p', 'p', Algorithm.Absolute, 1, 100, '');
    const s = new Points();
    feed(c, s, 0, T0 + 300_000, [12345]);
    expect(s.rows).toHaveLength(0);
    feed(c, s, S, T0 + 1_300_000, [12345]);
    expect(s.rows).toEqual([[0, 1_800_000_001, 123.45, 0]]);
    feed(c, s, S, T0 + 2_300_000, [100]);
    expect(s.rows[1]).toEqual([0, 1_800_000_002, 1, 0]);
  });

  it('incremental gives per-second rates: +250 per second -> 250, +500 per 2 s at update_every 2 -> 250', () => {
    const c = new ChartState('x.y', 1, 0);
    c.addDimension('c', 'c', Algorithm.Incremental, 1, 1, '');
    const s = new Points();
    for (let k = 0; k < 5; k++) feed(c, s, k ? S : 0, T0 + k * S, [1000 + 250 * k]);
    expect(s.values()).toEqual([250, 250, 250, 250].map((v, k) => (k === 0 ? expect.any(Number) : v)));
    expect(s.values().slice(1)).toEqual([250, 250, 250]);

    const c2 = new ChartState('x.z', 2, 0);
    c2.addDimension('c', 'c', Algorithm.Incremental, 1, 1, '');
    const s2 = new Points();
    for (let k = 0; k < 5; k++) feed(c2, s2, k ? 2 * S : 0, T0 + k * 2 * S, [500 * k]);
    expect(s2.values().slice(1)).toEqual([250, 250, 250]);
    expect(s2.rows.every((r) => r[1] % 2 === 0)).toBe(true);
  });

  it('hands each stored point the raw collected counter (as-collected exporting), NaN with a gap', () => {
    const c = new ChartState('x.y', 1, 0);
    c.addDimension('c', 'c', Algorithm.Incremental, 8, 1, '');
    const s = new Points();
    for (let k = 0; k < 4; k++) feed(c, s, k ? S : 0, T0 + k * S, [1000 + 250 * k]);
    expect(s.values().slice(1)).toEqual([2000, 2000]);
    expect(s.collected).toEqual([1250, 1500, 1750]);
    // 20 s of silence: the slots in between are gaps without a raw value, the next point has the new counter
    feed(c, s, 20 * S, T0 + 23 * S, [9000]);
    const last = s.collected.length - 1;
    expect(s.collected[last]).toBe(9000);
    expect(last).toBeGreaterThan(10);
    expect(s.collected.slice(3, last).every((v) => Number.isNaN(v))).toBe(true);
  });

  it('32-bit counter wrap is a delta, a big drop is a reset (0) with the RESET flag', () => {
    const c = new ChartState('x.y', 1, 0);
    c.addDimension('c', 'c', Algorithm.Incremental, 1, 1, '');
    const s = new Points();
    feed(c, s, 0, T0, [0xffffff00]);
    feed(c, s, S, T0 + S, [0xffffff80]);
    feed(c, s, S, T0 + 2 * S, [0x10]); // wrapped: 0x7f + 0x10 + 1 - 1
    feed(c, s, S, T0 + 3 * S, [0x20]);
    feed(c, s, S, T0 + 4 * S, [5]); // reset
    const rows = s.rows;
    expect(rows[1][2]).toBe(0xffffffff - 0xffffff80 + 0x10);
    expect(rows[2][2]).toBe(16);
    expect(rows[3][2]).toBe(0);
    expect(rows[3][3]).toBe(1);
  });

  it('percentage of absolute row and of incremental row', () => {
    const c = new ChartState('x.y', 1, 0);
    c.addDimension('a', 'a', Algorithm.PercentOfAbsoluteRow, 1, 1, '');
    c.addDimension('b', 'b', Algorithm.PercentOfAbsoluteRow, 1, 1, '');
    const s = new Points();
    feed(c, s, 0, T0, [1, 3]);
    feed(c, s, S, T0 + S, [1, 3]);
    expect(s.values(0)).toEqual([25]);
    expect(s.values(1)).toEqual([75]);

    const i = new ChartState('cpu', 1, 0);
    i.addDimension('user', 'user', Algorithm.PercentOfIncrementalRow, 1, 1, '');
    i.addDimension('idle', 'idle', Algorithm.PercentOfIncrementalRow, 1, 1, '');
    const p = new Points();
    feed(i, p, 0, T0, [100, 100]);
    feed(i, p, S, T0 + S, [110, 130]);
    feed(i, p, S, T0 + 2 * S, [110, 130]);
    expect(p.values(0)).toEqual([25, 0]);
    expect(p.values(1)).toEqual([75, 0]);
  });

  it('interpolates a collection that crosses two slots and stores gaps when 3 or more are lost', () => {
    const c = new ChartState('x.y', 1, 0);
    c.addDimension('a', 'a', Algorithm.Absolute, 1, 1, '');
    const s = new Points();
    feed(c, s, 0, T0, [0]);
    feed(c, s, S, T0 + S, [10]);
    feed(c, s, 2_100_000, T0 + 3 * S, [31]);
    expect(s.values()).toEqual([10, 20, 31]);
    feed(c, s, 5 * S, T0 + 8 * S, [81]);
    const last = s.rows.slice(3);
    expect(last.map((r) => r[1] - 1_800_000_000)).toEqual([4, 5, 6, 7, 8]);
    expect(last.slice(0, 3).every((r) => Number.isNaN(r[2]))).toBe(true);
    expect(last[3][2]).toBeCloseTo(31 + 50 / 2.1, 6);
    expect(last[4][2]).toBe(81);
  });

  it('an incremental collection that is not on a slot boundary is split between slots', () => {
    const c = new ChartState('x.y', 1, 0);
    c.addDimension('c', 'c', Algorithm.Incremental, 1, 1, '');
    const s = new Points();
    feed(c, s, 0, T0, [0]);
    feed(c, s, 1_500_000, T0, [150]); // collected at +1.5 s: 100/s, slot 1 gets 2/3 of 150
    feed(c, s, 1_000_000, T0, [250]); // +2.5 s: remainder 50 + half of 100
    expect(s.values()[0]).toBeCloseTo(100, 6);
    expect(s.values()[1]).toBeCloseTo(100, 6);
  });

  it('restored clocks decades apart (RSSTATE last updated = 1) reset the chart instead of walking every slot since 1970', () => {
    const c = new ChartState('x.y', 1, 0);
    c.addDimension('p', 'p', Algorithm.Absolute, 1, 1, '');
    const s = new Points();
    c.restoreState(T0, 1);
    for (let k = 1; k <= 3; k++) feed(c, s, S, T0 + k * S, [k]);
    // A fresh timeline from the wall clock: its first entries are not values (as after any reset), then values.
    expect(s.rows.length).toBeLessThanOrEqual(2);
    expect(s.rows[s.rows.length - 1]).toEqual([0, 1_800_000_003, 3, 0]);
  });

  it('a last updated time far ahead of the collection clock resets too, so the chart does not stall until it catches up', () => {
    const c = new ChartState('x.y', 1, 0);
    c.addDimension('p', 'p', Algorithm.Absolute, 1, 1, '');
    const s = new Points();
    c.restoreState(T0, T0 + 86_400 * S);
    for (let k = 1; k <= 3; k++) feed(c, s, S, T0 + k * S, [k]);
    expect(s.rows.length).toBeLessThanOrEqual(2);
    expect(s.rows[s.rows.length - 1]).toEqual([0, 1_800_000_003, 3, 0]);
  });

  it('restored clocks one slot apart continue seamlessly (what a real child sends)', () => {
    const c = new ChartState('x.y', 1, 0);
    c.addDimension('p', 'p', Algorithm.Absolute, 1, 1, '');
    c.dims[0].collections = 1;
    const s = new Points();
    c.restoreState(T0, T0);
    feed(c, s, S, T0 + S, [7]);
    expect(s.rows).toEqual([[0, 1_800_000_001, 7, 0]]);
  });
});
