import { decodePage } from '../page/page.codec';
import { Series } from './series';
import { firstPagePoints } from './topology.registry';

describe('Series (open page of one dimension)', () => {
  it('seals a full page with its points and counter-reset flags', () => {
    const s = new Series(40);
    let sealed;
    for (let i = 0; i < 40; i++) sealed = s.append(1000 + i, i * 0.5, i === 7 || i === 39 ? 1 : 0, 3, 0) ?? sealed;
    expect(sealed).toBeDefined();
    expect(s.count).toBe(0);
    const page = decodePage(sealed?.data ?? Buffer.alloc(0));
    expect(Array.from(page.times)).toEqual(Array.from({ length: 40 }, (_, i) => 1000 + i));
    expect(Array.from(page.values)).toEqual(Array.from({ length: 40 }, (_, i) => i * 0.5));
    expect([...page.flags.keys()].filter((i) => page.flags[i] === 1)).toEqual([7, 39]);
    expect(sealed).toMatchObject({ startS: 1000, endS: 1039, points: 40, segment: 3 });
  });

  it('overwrites a repeated time, seals when time goes back, trims by retention', () => {
    const s = new Series(100);
    s.append(10, 1, 0, 0, 0);
    s.append(11, 2, 0, 0, 0);
    s.append(11, 3, 1, 0, 0);
    expect(s.hot()).toEqual({ times: Uint32Array.from([10, 11]), values: Float64Array.from([1, 3]) });
    const sealed = s.append(5, 9, 0, 0, 0);
    expect(sealed?.points).toBe(2);
    expect(decodePage(sealed?.data ?? Buffer.alloc(0)).flags[1]).toBe(1);
    for (let t = 6; t < 30; t++) s.append(t, t, t === 20 ? 1 : 0, 0, 0);
    s.trimHot(15);
    const hot = s.hot();
    expect(hot?.times[0]).toBe(16);
    expect(hot?.times.length).toBe(14);
    const page = decodePage(s.seal()?.data ?? Buffer.alloc(0));
    expect(page.flags[20 - 16]).toBe(1);
  });
});

describe('first page spread', () => {
  it('seals the first page at its own size, then at the page size', () => {
    const s = new Series(100, 60);
    const sealedAt: number[] = [];
    for (let t = 1; t <= 260; t++) if (s.append(t, t, 0, 0, 0)) sealedAt.push(t);
    expect(sealedAt).toEqual([60, 160, 260]);
  });

  it('spreads the first pages of consecutive dimensions over the second half of a page', () => {
    const sizes = Array.from({ length: 1000 }, (_, id) => firstPagePoints(1024, id));
    expect(Math.min(...sizes)).toBeGreaterThan(512);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1024);
    expect(new Set(sizes).size).toBeGreaterThan(400);
  });
});
