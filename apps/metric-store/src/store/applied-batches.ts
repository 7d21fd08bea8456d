/** How many writers (stream-ingest processes) are remembered; a restarted writer comes back under a new id. */
const MAX_WRITERS = 64;
/** Past this many remembered ids of one writer, ids below its settled mark are forgotten. */
const PRUNE_AT = 4096;

interface WriterBatches {
  ids: Set<number>;
  settledBelow: number;
}

/**
 * The batch ids each writer had applied, so that a batch sent again after a reconnect (its ack was lost with the
 * call) is acknowledged without being applied twice. A writer's own `settled_below` mark bounds what is kept.
 * In memory: after a restart of this process the journal has what was acknowledged, and a writer's resent batch
 * lands as a rewrite of the same points.
 */
export class AppliedBatches {
  private readonly writers = new Map<string, WriterBatches>();

  has(writer: string, batchId: number): boolean {
    return writer !== '' && (this.writers.get(writer)?.ids.has(batchId) ?? false);
  }

  add(writer: string, batchId: number, settledBelow: number): void {
    if (writer === '') return;
    let w = this.writers.get(writer);
    if (w) {
      // Most recently used last: the oldest writer is the first to be forgotten.
      this.writers.delete(writer);
    } else {
      w = { ids: new Set(), settledBelow: 0 };
      if (this.writers.size >= MAX_WRITERS) this.writers.delete(this.writers.keys().next().value as string);
    }
    this.writers.set(writer, w);
    w.ids.add(batchId);
    if (settledBelow > w.settledBelow) w.settledBelow = settledBelow;
    if (w.ids.size > PRUNE_AT) for (const id of w.ids) if (id < w.settledBelow) w.ids.delete(id);
  }

  /** Ids remembered for a writer (tests and status). */
  count(writer: string): number {
    return this.writers.get(writer)?.ids.size ?? 0;
  }
}
