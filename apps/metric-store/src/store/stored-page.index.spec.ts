import type { StoredPageRef } from '../db/store.repository';
import { StoredPageIndex } from './stored-page.index';

const ref = (dim: number, start: number, end: number, len = 100): StoredPageRef => ({ dimension_id: dim, start_s: start, end_s: end, len });

function look(ix: StoredPageIndex, dim: number, from: number, to: number): [number, number][] | undefined {
  const out: StoredPageRef[] = [];
  return ix.lookup(dim, from, to, out) ? out.map((r) => [r.start_s, r.end_s]) : undefined;
}

describe('StoredPageIndex', () => {
  it('answers only for installed dimensions, with the pages overlapping the range', () => {
    const ix = new StoredPageIndex(1000);
    expect(look(ix, 1, 0, 100)).toBeUndefined();
    ix.install(1, ix.generation(1), [ref(1, 2000, 2999), ref(1, 1000, 1999), ref(1, 3000, 3500)]);
    expect(look(ix, 1, 1500, 2100)).toEqual([[1000, 1999], [2000, 2999]]);
    expect(look(ix, 1, 3501, 9999)).toEqual([]);
    expect(look(ix, 1, 0, 999)).toEqual([]);
    expect(look(ix, 1, 2999, 3000)).toEqual([[2000, 2999], [3000, 3500]]);
    expect(look(ix, 2, 0, 9999)).toBeUndefined();
  });

  it('does not install a listing that raced with a change of the same dimension', () => {
    const ix = new StoredPageIndex(1000);
    const gen = ix.generation(1);
    ix.added(1, 4000, 4999, 10); // flushed while the listing was on its way (it may not contain this page)
    ix.install(1, gen, [ref(1, 1000, 1999)]);
    expect(look(ix, 1, 0, 9999)).toBeUndefined();
    ix.install(1, ix.generation(1), [ref(1, 1000, 1999), ref(1, 4000, 4999)]);
    expect(look(ix, 1, 0, 9999)).toEqual([[1000, 1999], [4000, 4999]]);
  });

  it('follows flushes, retention and host removal', () => {
    const ix = new StoredPageIndex(1000);
    ix.install(1, 0, [ref(1, 1000, 1999), ref(1, 2000, 2999)]);
    ix.added(1, 3000, 3999, 7);
    ix.added(1, 2500, 2600, 7); // a writer went back in time: kept in start order
    expect(look(ix, 1, 0, 9999)).toEqual([[1000, 1999], [2000, 2999], [2500, 2600], [3000, 3999]]);
    // retention at 2100: [1000,1999] deleted, [2000,2999] rewritten (start moves): the index forgets both and
    // answers only from 3000 on
    ix.trimmed(1, 2100);
    expect(look(ix, 1, 2200, 9999)).toBeUndefined();
    expect(look(ix, 1, 3000, 9999)).toEqual([[3000, 3999]]);
    ix.dropped(1);
    expect(look(ix, 1, 3000, 9999)).toBeUndefined();
    expect(ix.size).toEqual({ dimensions: 0, pages: 0 });
  });

  it('forgets the least recently used dimensions beyond its bound', () => {
    const ix = new StoredPageIndex(4);
    ix.install(1, 0, [ref(1, 0, 9), ref(1, 10, 19)]);
    ix.install(2, 0, [ref(2, 0, 9), ref(2, 10, 19)]);
    look(ix, 1, 0, 99); // 1 is now the most recently used
    ix.install(3, 0, [ref(3, 0, 9)]);
    expect(look(ix, 2, 0, 99)).toBeUndefined();
    expect(look(ix, 1, 0, 99)).toHaveLength(2);
    expect(look(ix, 3, 0, 99)).toHaveLength(1);
    expect(ix.size.pages).toBe(3);
    expect(new StoredPageIndex(0).size.pages).toBe(0);
  });
});
