// Last N points of one dimension, oldest overwritten first. Typed arrays so live points cost no allocation.
export class DimensionRing {
  readonly times: Uint32Array;
  readonly values: Float64Array;
  private head = 0; // next write slot
  private size = 0;

  constructor(readonly capacity: number) {
    this.times = new Uint32Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Points must come in time order; a point not newer than the last one replaces it when equal, else is dropped. */
  push(t: number, v: number): void {
    if (this.size > 0) {
      const last = (this.head - 1 + this.capacity) % this.capacity;
      const lt = this.times[last];
      if (t === lt) {
        this.values[last] = v;
        return;
      }
      if (t < lt) return;
    }
    this.times[this.head] = t;
    this.values[this.head] = v;
    this.head = (this.head + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** Physical slot of the i-th oldest point. */
  slot(i: number): number {
    return (this.head - this.size + i + this.capacity * 2) % this.capacity;
  }

  /** Logical index of the first point with time > t (binary search; times ascend). */
  firstAfter(t: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[this.slot(mid)] > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  newestTime(): number {
    return this.size ? this.times[this.slot(this.size - 1)] : 0;
  }

  oldestTime(): number {
    return this.size ? this.times[this.slot(0)] : 0;
  }

  /** Inserts older points (from a backfill query) in front of what the live feed already delivered. */
  prepend(times: ArrayLike<number>, values: ArrayLike<number>): void {
    const oldest = this.size ? this.oldestTime() : Infinity;
    const keepT: number[] = [];
    const keepV: number[] = [];
    for (let i = 0; i < times.length; i++) {
      if (times[i] < oldest) {
        keepT.push(times[i]);
        keepV.push(values[i]);
      }
    }
    for (let i = 0; i < this.size; i++) {
      const s = this.slot(i);
      keepT.push(this.times[s]);
      keepV.push(this.values[s]);
    }
    this.head = 0;
    this.size = 0;
    const start = Math.max(0, keepT.length - this.capacity);
    for (let i = start; i < keepT.length; i++) this.push(keepT[i], keepV[i]);
  }
}
