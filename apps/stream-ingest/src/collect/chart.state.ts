import { Algorithm } from './algorithm';
import { DimensionState } from './dimension.state';
import { FLAG_RESET, PointSink } from './point.sink';

const USEC = 1_000_000;
/** `[db] gap when lost iterations above` (1) + 2, as rrdset.c adds. */
const GAP_WHEN_LOST_ITERATIONS_ABOVE = 3;
/** Netdata resets a chart that was not updated for max(entries, 60) iterations; entries = default history 3600. */
const RESET_AFTER_ITERATIONS = 3600;
const CAP32 = 0xffffffff;
const CAP64 = 2 ** 64 - 1;
const MAX_INCREMENTAL_PERCENT_RATE = 10;

function asUnsigned64(v: number): number {
  return v < 0 ? 2 ** 64 + v : v;
}

/**
 * Netdata 1.37's rrdset_done() for one chart, fed by BEGIN/SET/END: collected values become stored values on
 * update_every boundaries (algorithms, multiplier/divisor, wraps and resets, interpolation, gaps).
 */
export class ChartState {
  readonly dims: DimensionState[] = [];
  readonly dimsById = new Map<string, DimensionState>();
  /** µs of the last collection on the chart's timeline, 0 = never collected */
  lastCollectedUt = 0;
  /** µs of the last stored slot, 0 = never stored */
  lastUpdatedUt = 0;
  usecSinceLastUpdate = 0;
  collectedTotal = 0;
  lastCollectedTotal = 0;
  /** replication: the chart is replaying, live data not yet started */
  replicating = false;
  /** last slot end stored (seconds), for gap computation on reconnect */
  lastStoredS = 0;

  constructor(
    public readonly id: string,
    public updateEvery: number,
    public storeIndex: number,
  ) {}

  dimension(id: string): DimensionState | undefined {
    return this.dimsById.get(id);
  }

  addDimension(id: string, name: string, algorithm: Algorithm, multiplier: number, divisor: number, options: string): DimensionState {
    const existing = this.dimsById.get(id);
    if (existing) {
      existing.name = name;
      existing.algorithm = algorithm;
      existing.multiplier = multiplier;
      existing.divisor = divisor;
      existing.options = options;
      return existing;
    }
    const d = new DimensionState(id, name, algorithm, multiplier, divisor, options, this.dims.length);
    this.dims.push(d);
    this.dimsById.set(id, d);
    return d;
  }

  /** BEGIN: µs since the previous collection on the child's clock (0 = use our wall clock). */
  begin(microseconds: number, nowUt: number): void {
    if (microseconds > 0) this.usecSinceLastUpdate = microseconds;
    else this.usecSinceLastUpdate = this.lastCollectedUt ? Math.max(0, nowUt - this.lastCollectedUt) : 0;
  }

  /** END: rrdset_done(). */
  done(nowUt: number, sink: PointSink): void {
    const ueUt = this.updateEvery * USEC;
    let storeThisEntry = true;
    let firstEntry = false;
    let lastCollectUt: number;

    if (this.usecSinceLastUpdate > RESET_AFTER_ITERATIONS * ueUt || this.clocksApart(ueUt)) {
      this.reset();
      this.usecSinceLastUpdate = ueUt;
    }
    if (this.lastCollectedUt === 0) {
      const s = Math.floor(nowUt / USEC);
      this.lastCollectedUt = (s - (s % this.updateEvery)) * USEC;
      lastCollectUt = this.lastCollectedUt - ueUt;
      storeThisEntry = false;
      firstEntry = true;
    } else {
      lastCollectUt = this.lastCollectedUt;
      this.lastCollectedUt += this.usecSinceLastUpdate;
    }
    let lastStoredUt: number;
    if (this.lastUpdatedUt === 0) {
      this.lastUpdatedUt = this.lastCollectedUt;
      lastStoredUt = this.lastUpdatedUt;
      storeThisEntry = false;
      firstEntry = true;
    } else lastStoredUt = this.lastUpdatedUt;

    const nowCollectUt = this.lastCollectedUt;
    let nextStoreUt = (Math.floor(this.lastUpdatedUt / USEC) + this.updateEvery) * USEC;

    const dims = this.dims;
    let total = 0;
    for (let i = 0; i < dims.length; i++) if (dims[i].updated) total += dims[i].collected;
    this.collectedTotal = total;

    for (let i = 0; i < dims.length; i++) {
      const d = dims[i];
      if (!d.updated) {
        d.calculated = 0;
        continue;
      }
      switch (d.algorithm) {
        case Algorithm.Absolute:
          d.calculated = (d.collected * d.multiplier) / d.divisor;
          break;
        case Algorithm.PercentOfAbsoluteRow:
          d.calculated = total === 0 ? 0 : (100 * d.collected) / total;
          break;
        case Algorithm.Incremental: {
          if (d.collections <= 1) {
            d.calculated = 0;
            break;
          }
          const last = asUnsigned64(d.lastCollected);
          const now = asUnsigned64(d.collected);
          if (last > now) {
            if (!d.noReset) d.resetFlag = true;
            const cap = asUnsigned64(d.collectedMax) > CAP32 ? CAP64 : CAP32;
            const delta = cap - last + now;
            if (delta < (cap / 100) * MAX_INCREMENTAL_PERCENT_RATE) d.calculated += (delta * d.multiplier) / d.divisor;
          } else d.calculated += ((d.collected - d.lastCollected) * d.multiplier) / d.divisor;
          break;
        }
        case Algorithm.PercentOfIncrementalRow:
          if (d.collections <= 1) d.calculated = 0;
          else if (total === this.lastCollectedTotal) d.calculated = 0;
          else d.calculated = (100 * (d.collected - d.lastCollected)) / (total - this.lastCollectedTotal);
          break;
      }
    }

    let iterations = Math.floor((nowCollectUt - lastStoredUt) / ueUt);
    if (nowCollectUt % ueUt === 0) iterations++;

    for (; nextStoreUt <= nowCollectUt; lastCollectUt = nextStoreUt, nextStoreUt += ueUt, iterations--) {
      const timeS = Math.floor(nextStoreUt / USEC);
      const span = nowCollectUt - lastCollectUt;
      let stored = false;
      for (let i = 0; i < dims.length; i++) {
        const d = dims[i];
        let v: number;
        if (d.algorithm === Algorithm.Incremental) {
          v = span > 0 ? (d.calculated * (nextStoreUt - lastCollectUt)) / span : d.calculated;
          d.calculated -= v;
          v += d.lastCalculated;
          d.lastCalculated = 0;
          v /= this.updateEvery;
          if (nextStoreUt - lastStoredUt < ueUt) v = (v * (nextStoreUt - lastStoredUt)) / ueUt;
        } else if (iterations === 1 || span <= 0) v = d.calculated;
        else v = ((d.calculated - d.lastCalculated) * (nextStoreUt - lastCollectUt)) / span + d.lastCalculated;

        if (storeThisEntry && d.updated && d.collections > 1 && iterations < GAP_WHEN_LOST_ITERATIONS_ABOVE) {
          sink.point(this.storeIndex, d.index, timeS, v, d.resetFlag ? FLAG_RESET : 0, d.collected);
          d.lastStored = v;
          stored = true;
        } else sink.point(this.storeIndex, d.index, timeS, NaN, 0, NaN);
      }
      this.lastUpdatedUt = nextStoreUt;
      if (stored) this.lastStoredS = timeS;
      storeThisEntry = true;
      lastStoredUt = nextStoreUt;
    }

    this.lastCollectedTotal = total;
    for (let i = 0; i < dims.length; i++) {
      const d = dims[i];
      if (!d.updated) continue;
      d.lastCollected = d.collected;
      if (d.algorithm === Algorithm.Incremental) {
        if (!firstEntry) d.lastCalculated = d.calculated;
        d.calculated = 0;
      } else d.lastCalculated = d.calculated;
      d.updated = false;
      d.resetFlag = false;
    }
  }

  /**
   * The collection clock is more than RESET_AFTER_ITERATIONS slots away from the last stored slot (clocks restored
   * by RSSTATE, or a clock that jumped). Storing would walk every slot in between, point by point: with a last
   * updated time of 1 that is every second since 1970. Netdata resets such a chart ("too old data"), and so do we:
   * the next entry starts a fresh timeline and the span in between stays a gap.
   */
  private clocksApart(ueUt: number): boolean {
    if (this.lastCollectedUt === 0 || this.lastUpdatedUt === 0) return false;
    const ahead = this.lastCollectedUt + this.usecSinceLastUpdate - this.lastUpdatedUt;
    return ahead > RESET_AFTER_ITERATIONS * ueUt || ahead < -RESET_AFTER_ITERATIONS * ueUt;
  }

  /** RSSTATE: the child's collection clock, so live data continues where replication ended. */
  restoreState(lastCollectedUt: number, lastUpdatedUt: number): void {
    this.lastCollectedUt = lastCollectedUt;
    this.lastUpdatedUt = lastUpdatedUt;
    // The row totals of the percentage algorithms continue from the replayed dimension state (RDSTATE).
    let total = 0;
    for (const d of this.dims) total += d.lastCollected;
    this.lastCollectedTotal = total;
    this.collectedTotal = total;
  }

  reset(): void {
    this.lastCollectedUt = 0;
    this.lastUpdatedUt = 0;
    for (const d of this.dims) {
      d.collections = 0;
      d.calculated = 0;
      d.lastCalculated = 0;
      d.updated = false;
    }
  }
}
