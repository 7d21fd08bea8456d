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

// Seal-time scratch (single-threaded): the open page is de-interleaved here for the codec.
let scratchTimes = new Uint32Array(0);
let scratchValues = new Float64Array(0);
let scratchFlags = new Uint8Array(0);

function scratch(n: number): void {
  if (scratchTimes.length >= n) return;
  scratchTimes = new Uint32Array(n);
  scratchValues = new Float64Array(n);
  scratchFlags = new Uint8Array(n);
}

/**
 * The hot end of one dimension: the page being filled plus sealed pages waiting for the database (or, in ram mode,
 * the whole in-memory history). The open page is one Float64Array of (time, value) pairs, and the rare
 * counter-reset flags are kept apart: appending a sample touches one cache line instead of three arrays.
 */
export class Series {
  private buf: Float64Array;
  count = 0;
  private flagAt: number[] = [];
  private flagVal: number[] = [];
  openedAtMs = 0;
  segment = 0;
  sealed: SealedPage[] = [];
  /** Newest time already in PostgreSQL: journal replay skips what is older. */
  flushedEndS = 0;
  firstS = 0;
  lastS = 0;

  /** points at which the open page seals: `firstPagePoints` for the first page, the page size after */
  private limit: number;

  constructor(
    private readonly capacity: number,
    firstPagePoints = capacity,
  ) {
    // Grows by doubling to the page size so that idle dimensions stay small.
    this.buf = new Float64Array(2 * Math.min(16, capacity));
    this.limit = Math.max(1, Math.min(capacity, firstPagePoints));
  }

  /** Appends one point; returns a page sealed by this append (full, or time went backwards), else undefined. */
  append(t: number, v: number, f: number, segment: number, nowMs: number): SealedPage | undefined {
    let sealed: SealedPage | undefined;
    const n = this.count;
    if (n > 0) {
      const last = this.buf[2 * n - 2];
      if (t === last) {
        this.buf[2 * n - 1] = v;
        if (f !== 0) this.setFlag(n - 1, f);
        return undefined;
      }
      if (t < last) sealed = this.seal();
    }
    if (this.count === 0) {
      this.openedAtMs = nowMs;
      this.segment = segment;
    }
    const i = this.count;
    if (2 * i === this.buf.length) this.grow();
    this.buf[2 * i] = t;
    this.buf[2 * i + 1] = v;
    this.count = i + 1;
    if (f !== 0) this.setFlag(i, f);
    if (this.firstS === 0 || t < this.firstS) this.firstS = t;
    if (t > this.lastS) this.lastS = t;
    if (this.count >= this.limit) return this.seal() ?? sealed;
    return sealed;
  }

  private setFlag(i: number, f: number): void {
    const k = this.flagAt.indexOf(i);
    if (k >= 0) this.flagVal[k] |= f;
    else {
      this.flagAt.push(i);
      this.flagVal.push(f);
    }
  }

  /** Copies of the open page's points, for queries. */
  hot(): { times: Uint32Array; values: Float64Array } | undefined {
    const n = this.count;
    if (n === 0) return undefined;
    const times = new Uint32Array(n);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      times[i] = this.buf[2 * i];
      values[i] = this.buf[2 * i + 1];
    }
    return { times, values };
  }

  seal(): SealedPage | undefined {
    const n = this.count;
    if (n === 0) return undefined;
    scratch(this.capacity);
    for (let i = 0; i < n; i++) {
      scratchTimes[i] = this.buf[2 * i];
      scratchValues[i] = this.buf[2 * i + 1];
    }
    scratchFlags.fill(0, 0, n);
    for (let k = 0; k < this.flagAt.length; k++) scratchFlags[this.flagAt[k]] = this.flagVal[k];
    const page: SealedPage = {
      startS: scratchTimes[0],
      endS: scratchTimes[n - 1],
      points: n,
      data: encodePage(scratchTimes, scratchValues, scratchFlags, 0, n),
      segment: this.segment,
    };
    this.sealed.push(page);
    this.count = 0;
    this.limit = this.capacity;
    if (this.flagAt.length > 0) {
      this.flagAt = [];
      this.flagVal = [];
    }
    return page;
  }

  /** Drops every hot point at or before `cutoff` (retention of the open page). */
  trimHot(cutoff: number): void {
    let k = 0;
    while (k < this.count && this.buf[2 * k] <= cutoff) k++;
    if (k === 0) return;
    this.buf.copyWithin(0, 2 * k, 2 * this.count);
    this.count -= k;
    const at: number[] = [];
    const val: number[] = [];
    this.flagAt.forEach((i, j) => {
      if (i >= k) {
        at.push(i - k);
        val.push(this.flagVal[j]);
      }
    });
    this.flagAt = at;
    this.flagVal = val;
  }

  private grow(): void {
    const next = new Float64Array(Math.min(2 * this.capacity, this.buf.length * 2));
    next.set(this.buf);
    this.buf = next;
  }
}
