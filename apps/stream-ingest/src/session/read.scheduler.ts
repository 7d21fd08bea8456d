/** A connection whose chunk was held back for a later turn. */
export interface DeferredReader {
  runDeferred(): void;
}

/**
 * Shares the event loop between children. When the parent falls behind, every child's socket is readable at once,
 * and one poll phase would read, decompress and parse all of them: seconds in which no timer, ack or flush runs.
 * A turn may parse for `turnMs`; a chunk that arrives after that waits (its socket paused) in arrival order, and
 * the waiting ones are parsed `turnMs` at a time on later turns, timers and I/O running in between. A child never
 * gets ahead of one that waits, so each gets its share.
 */
export class ReadScheduler {
  private inTurn = false;
  private turnStart = 0;
  private waiting: DeferredReader[] = [];
  private head = 0;
  /** chunks that had to wait for a later turn */
  deferredTotal = 0;

  constructor(
    private readonly turnMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Chunks waiting for a turn. */
  get waitingCount(): number {
    return this.waiting.length - this.head;
  }

  /** May a chunk be parsed now? Not when this turn has used its time, nor while others wait (they go first). */
  admit(): boolean {
    if (this.head < this.waiting.length) return false;
    if (!this.inTurn) {
      this.inTurn = true;
      this.turnStart = this.now();
      setImmediate(this.endTurn);
    }
    return this.now() - this.turnStart < this.turnMs;
  }

  /** Queues a reader whose chunk did not get in; it runs on a later turn. */
  defer(reader: DeferredReader): void {
    this.waiting.push(reader);
    this.deferredTotal++;
  }

  /** After the poll phase: the waiting ones get a turn of their own, and what does not fit waits for the next. */
  private readonly endTurn = (): void => {
    this.inTurn = false;
    if (this.head === this.waiting.length) return;
    const start = this.now();
    while (this.head < this.waiting.length && this.now() - start < this.turnMs) {
      const r = this.waiting[this.head];
      this.waiting[this.head++] = undefined as unknown as DeferredReader;
      r.runDeferred();
    }
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
      return;
    }
    if (this.head > 1024) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    // Scheduled from the check phase, this runs on the next loop iteration, after timers and I/O.
    this.inTurn = true;
    setImmediate(this.endTurn);
  };
}
