export interface Batch {
  body: Buffer;
  points: number;
  /** window end, for logs */
  before: number;
}

/**
 * `buffer on failures` slots of unsent batches. When full the oldest batch is dropped to make room, and the
 * caller is told what was lost so it is counted and logged (Netdata loses it with only a chart bump).
 */
export class BatchRing {
  private readonly slots: (Batch | undefined)[];
  private head = 0;
  private count = 0;
  bufferedPoints = 0;
  bufferedBytes = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array<Batch | undefined>(Math.max(1, capacity));
  }

  get length(): number {
    return this.count;
  }

  /** Returns the dropped batch, if the ring was full. */
  push(b: Batch): Batch | undefined {
    let dropped: Batch | undefined;
    if (this.count === this.slots.length) dropped = this.shift();
    this.slots[(this.head + this.count) % this.slots.length] = b;
    this.count++;
    this.bufferedPoints += b.points;
    this.bufferedBytes += b.body.length;
    return dropped;
  }

  peek(): Batch | undefined {
    return this.count ? this.slots[this.head] : undefined;
  }

  shift(): Batch | undefined {
    if (!this.count) return undefined;
    const b = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) % this.slots.length;
    this.count--;
    if (b) {
      this.bufferedPoints -= b.points;
      this.bufferedBytes -= b.body.length;
    }
    return b;
  }
}
