import type { StoredPageRef } from '../db/store.repository';

/** One dimension's pages in PostgreSQL, by start time; complete for pages ending at or after `fromS`. */
interface DimPages {
  starts: number[];
  ends: number[];
  lens: number[];
  fromS: number;
}

/**
 * Which pages each recently queried dimension has in PostgreSQL, so that a dashboard refreshing the same charts
 * reads neither the page list nor (with the decoded-page cache) the pages from the database. Filled from one full
 * listing per dimension and kept exact by the store's own changes: a flush adds its pages, retention trims, a host
 * removal drops. A listing that raced with a change is not installed (per-dimension generations). Bounded: least
 * recently used dimensions are forgotten beyond `maxRefs` pages in all.
 */
export class StoredPageIndex {
  private readonly dims = new Map<number, DimPages>();
  private readonly gens = new Map<number, number>();
  private refs = 0;

  constructor(private readonly maxRefs: number) {}

  get size(): { dimensions: number; pages: number } {
    return { dimensions: this.dims.size, pages: this.refs };
  }

  generation(dimId: number): number {
    return this.gens.get(dimId) ?? 0;
  }

  /**
   * Appends the dimension's pages overlapping [fromS, toS] to `out`. False when the index cannot answer for that
   * range (dimension not indexed, or retention trimmed below it): the caller lists from the database.
   */
  lookup(dimId: number, fromS: number, toS: number, out: StoredPageRef[]): boolean {
    const p = this.dims.get(dimId);
    if (!p || fromS < p.fromS) return false;
    this.dims.delete(dimId);
    this.dims.set(dimId, p);
    // pages are sorted by start and do not overlap in the normal case; scan from the first that may end after fromS
    const n = p.starts.length;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (p.starts[mid] < fromS) lo = mid + 1;
      else hi = mid;
    }
    let i = lo;
    // an earlier page may still reach into the range
    while (i > 0 && p.ends[i - 1] >= fromS) i--;
    for (; i < n && p.starts[i] <= toS; i++) {
      if (p.ends[i] >= fromS) out.push({ dimension_id: dimId, start_s: p.starts[i], end_s: p.ends[i], len: p.lens[i] });
    }
    return true;
  }

  /** A full listing of the dimension's pages, read while its generation was `gen`. */
  install(dimId: number, gen: number, pages: StoredPageRef[]): void {
    if (this.maxRefs <= 0 || this.generation(dimId) !== gen) return;
    this.forget(dimId);
    const sorted = pages.slice().sort((a, b) => a.start_s - b.start_s);
    this.dims.set(dimId, {
      starts: sorted.map((r) => r.start_s),
      ends: sorted.map((r) => r.end_s),
      lens: sorted.map((r) => r.len),
      fromS: -Infinity,
    });
    this.refs += sorted.length;
    this.evict();
  }

  /** A page is committed to the database. */
  added(dimId: number, startS: number, endS: number, len: number): void {
    this.bump(dimId);
    const p = this.dims.get(dimId);
    if (!p) return;
    let i = p.starts.length;
    while (i > 0 && p.starts[i - 1] > startS) i--;
    p.starts.splice(i, 0, startS);
    p.ends.splice(i, 0, endS);
    p.lens.splice(i, 0, len);
    this.refs++;
    this.evict();
  }

  /**
   * Retention committed: pages ending at or before `cutoffS` are gone and the one straddling it was rewritten
   * (new start and size). Both are dropped here; the index then answers only above the newest dropped end.
   */
  trimmed(dimId: number, cutoffS: number): void {
    this.bump(dimId);
    const p = this.dims.get(dimId);
    if (!p) return;
    let k = 0;
    while (k < p.starts.length && p.starts[k] <= cutoffS) k++;
    if (k === 0) return;
    let maxEnd = p.fromS;
    for (let i = 0; i < k; i++) if (p.ends[i] > maxEnd) maxEnd = p.ends[i];
    p.starts.splice(0, k);
    p.ends.splice(0, k);
    p.lens.splice(0, k);
    this.refs -= k;
    p.fromS = maxEnd + 1;
  }

  /** Every page of the dimension is gone (host removed). */
  dropped(dimId: number): void {
    this.bump(dimId);
    this.forget(dimId);
  }

  private bump(dimId: number): void {
    this.gens.set(dimId, this.generation(dimId) + 1);
  }

  private forget(dimId: number): void {
    const p = this.dims.get(dimId);
    if (!p) return;
    this.refs -= p.starts.length;
    this.dims.delete(dimId);
  }

  private evict(): void {
    while (this.refs > this.maxRefs && this.dims.size > 0) {
      const oldest = this.dims.keys().next().value as number;
      this.forget(oldest);
    }
  }
}
