import { SampleColumns } from '@tributary/protocol';
import { PointSink } from '../collect/point.sink';
import { roundToStoredPrecision } from '../collect/stored-precision';

/** Bytes one stored point takes in SampleColumns (u32 chart, u32 dim, u32 time, f64 value, u8 flags, f64 collected). */
export const BYTES_PER_ROW = 29;

/** Backpressure hooks of the connection that owns a channel. */
export interface ChannelOwner {
  pauseReading(): void;
  resumeReading(): void;
}

/** Rows waiting in every channel of one writer: the read path cuts a batch when it reaches the batch size. */
export interface QueuedRows {
  rows: number;
}

/**
 * One connected child's not-yet-sent points, written straight into reusable columnar arrays, plus the bytes of
 * its points that were sent but not acknowledged: together they are the child's bounded buffer.
 */
export class HostChannel implements PointSink {
  private chart = new Uint32Array(256);
  private dim = new Uint32Array(256);
  private time = new Uint32Array(256);
  private value = new Float64Array(256);
  private flags = new Uint8Array(256);
  private collected = new Float64Array(256);
  rows = 0;
  unackedBytes = 0;
  samplesTotal = 0;
  paused = false;
  closed = false;
  /** when the oldest row now waiting was queued (0: none waits) */
  private firstRowMs = 0;
  /** what was taken into batches and not yet acknowledged, oldest first: its bytes and when its oldest row was queued */
  private readonly inFlight: { bytes: number; sinceMs: number }[] = [];

  constructor(
    public readonly machineGuid: string,
    private readonly limitBytes: number,
    private readonly owner: ChannelOwner,
    private readonly queued: QueuedRows,
  ) {}

  get bufferedBytes(): number {
    return this.rows * BYTES_PER_ROW + this.unackedBytes;
  }

  point(chartIndex: number, dimensionIndex: number, timeS: number, value: number, flags: number, collected: number): void {
    if (this.rows === this.chart.length) this.grow();
    const r = this.rows++;
    if (r === 0) this.firstRowMs = Date.now();
    this.chart[r] = chartIndex;
    this.dim[r] = dimensionIndex;
    this.time[r] = timeS;
    this.value[r] = roundToStoredPrecision(value);
    this.flags[r] = flags;
    this.collected[r] = collected;
    this.samplesTotal++;
    this.queued.rows++;
  }

  /** After an END: push back on the child's socket when its buffer is full. */
  checkLimit(): void {
    if (!this.paused && this.bufferedBytes > this.limitBytes) {
      this.paused = true;
      this.owner.pauseReading();
    }
  }

  /**
   * Moves up to `maxRows` of the oldest pending rows into a SampleColumns message (copies); the rest stay, in order,
   * for the next batch.
   */
  take(maxRows = Infinity): SampleColumns | undefined {
    const total = this.rows;
    if (total === 0) return undefined;
    const n = Math.min(total, maxRows);
    const cols: SampleColumns = {
      machineGuid: this.machineGuid,
      rows: n,
      chartIndex: copy(this.chart, n * 4),
      dimensionIndex: copy(this.dim, n * 4),
      timeS: copy(this.time, n * 4),
      value: copy(this.value, n * 8),
      flags: copy(this.flags, n),
      collected: copy(this.collected, n * 8),
    };
    this.unackedBytes += n * BYTES_PER_ROW;
    this.inFlight.push({ bytes: n * BYTES_PER_ROW, sinceMs: this.firstRowMs });
    this.queued.rows -= n;
    if (n < total) {
      for (const a of [this.chart, this.dim, this.time, this.value, this.flags, this.collected]) a.copyWithin(0, n, total);
      this.rows = total - n;
      return cols;
    }
    this.rows = 0;
    this.shrinkIfIdle(n);
    return cols;
  }

  /** How long the oldest point not yet acknowledged by metric-store has waited (0: none waits). */
  lagMs(nowMs: number): number {
    const oldest = this.inFlight.length ? this.inFlight[0].sinceMs : this.rows > 0 ? this.firstRowMs : 0;
    return oldest ? Math.max(0, nowMs - oldest) : 0;
  }

  acknowledged(bytes: number): void {
    this.unackedBytes = Math.max(0, this.unackedBytes - bytes);
    for (let left = bytes; left > 0 && this.inFlight.length; ) {
      const e = this.inFlight[0];
      if (e.bytes > left) {
        e.bytes -= left;
        break;
      }
      left -= e.bytes;
      this.inFlight.shift();
    }
    if (this.paused && !this.closed && this.bufferedBytes <= this.limitBytes / 2) {
      this.paused = false;
      this.owner.resumeReading();
    }
  }

  private grow(): void {
    const n = this.chart.length * 2;
    this.chart = extend(this.chart, new Uint32Array(n));
    this.dim = extend(this.dim, new Uint32Array(n));
    this.time = extend(this.time, new Uint32Array(n));
    this.value = extend(this.value, new Float64Array(n));
    this.flags = extend(this.flags, new Uint8Array(n));
    this.collected = extend(this.collected, new Float64Array(n));
  }

  /** A replication burst may have grown the arrays a lot; give the memory back once traffic is small again. */
  private shrinkIfIdle(lastRows: number): void {
    if (this.chart.length > 4096 && lastRows < this.chart.length / 8) {
      const n = Math.max(256, this.chart.length / 4);
      this.chart = new Uint32Array(n);
      this.dim = new Uint32Array(n);
      this.time = new Uint32Array(n);
      this.value = new Float64Array(n);
      this.flags = new Uint8Array(n);
      this.collected = new Float64Array(n);
    }
  }
}

function copy(a: Uint32Array | Float64Array | Uint8Array, bytes: number): Buffer {
  return Buffer.from(Buffer.from(a.buffer, a.byteOffset, bytes));
}

function extend<T extends Uint32Array | Float64Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
