import { encodePage } from '../page/page.codec';

/** A sealed page not yet in PostgreSQL (persisted modes) or kept only in memory (ram mode). */
export interface SealedPage {
  startS: number;
  endS: number;
  points: number;
  data: Buffer;
  /** Oldest journal segment holding any of its points. */
  segment: number;
}

/**
 * The hot end of one dimension: the page being filled (columnar typed arrays, no per-sample objects) plus sealed
 * pages waiting for the database (or, in ram mode, the whole in-memory history).
 */
export class Series {
  times: Uint32Array;
  values: Float64Array;
  flags: Uint8Array;
  count = 0;
  openedAtMs = 0;
  segment = 0;
  sealed: SealedPage[] = [];
  /** Newest time already in PostgreSQL: journal replay skips what is older. */
  flushedEndS = 0;
  firstS = 0;
  lastS = 0;

  constructor(private readonly capacity: number) {
    // Grows by doubling to the page size so that idle dimensions stay small.
    const initial = Math.min(16, capacity);
    this.times = new Uint32Array(initial);
    this.values = new Float64Array(initial);
    this.flags = new Uint8Array(initial);
  }

  /** Appends one point; returns a page sealed by this append (full, or time went backwards), else undefined. */
  append(t: number, v: number, f: number, segment: number, nowMs: number): SealedPage | undefined {
    let sealed: SealedPage | undefined;
    const n = this.count;
    if (n > 0) {
      const last = this.times[n - 1];
      if (t === last) {
        this.values[n - 1] = v;
        this.flags[n - 1] |= f;
        return undefined;
      }
      if (t < last) sealed = this.seal();
    }
    if (this.count === 0) {
      this.openedAtMs = nowMs;
      this.segment = segment;
    }
    if (this.count === this.times.length) this.grow();
    const i = this.count++;
    this.times[i] = t;
    this.values[i] = v;
    this.flags[i] = f;
    if (this.firstS === 0 || t < this.firstS) this.firstS = t;
    if (t > this.lastS) this.lastS = t;
    if (this.count === this.capacity) return this.seal() ?? sealed;
    return sealed;
  }

  seal(): SealedPage | undefined {
    if (this.count === 0) return undefined;
    const page: SealedPage = {
      startS: this.times[0],
      endS: this.times[this.count - 1],
      points: this.count,
      data: encodePage(this.times, this.values, this.flags, 0, this.count),
      segment: this.segment,
    };
    this.sealed.push(page);
    this.count = 0;
    return page;
  }

  /** Drops every hot point at or before `cutoff` (retention of the open page). */
  trimHot(cutoff: number): void {
    let k = 0;
    while (k < this.count && this.times[k] <= cutoff) k++;
    if (k === 0) return;
    this.times.copyWithin(0, k, this.count);
    this.values.copyWithin(0, k, this.count);
    this.flags.copyWithin(0, k, this.count);
    this.count -= k;
  }

  private grow(): void {
    const size = Math.min(this.capacity, this.times.length * 2);
    const t = new Uint32Array(size);
    t.set(this.times);
    const v = new Float64Array(size);
    v.set(this.values);
    const f = new Uint8Array(size);
    f.set(this.flags);
    this.times = t;
    this.values = v;
    this.flags = f;
  }
}
