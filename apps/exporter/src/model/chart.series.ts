import type { ChartDef } from '@tributary/protocol';

/**
 * One chart's recent stored points, columnar: a time-indexed ring per dimension. Samples from the subscription
 * are written in place (no per-sample objects); windows for average/sum are read back from the ring.
 */
export class ChartSeries {
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly updateEvery: number;
  readonly dimIds: string[];
  readonly dimNames: string[];
  readonly dimAlgorithms: string[];
  readonly dimMultipliers: Float64Array;
  readonly dimDivisors: Float64Array;
  /** ring slot -> stored time (0 = empty), per dimension: [dim * size + slot] */
  readonly times: Uint32Array;
  readonly values: Float64Array;
  /** Last stored point per dimension. */
  readonly lastTime: Uint32Array;
  readonly lastValue: Float64Array;
  /**
   * Last raw collected value per dimension (the SET, before algorithm, multiplier and divisor) and the time of
   * that collection: what as-collected exports. 0 = never collected live.
   */
  readonly collectedTime: Uint32Array;
  readonly collectedValue: Float64Array;
  readonly firstTime: Uint32Array;
  readonly dimObsolete: Uint8Array;
  readonly mask: number;
  /** Same algorithm, multiplier and divisor on every dimension (Prometheus names as-collected series by it). */
  readonly homogeneous: boolean;
  /** Obsolete charts are not available for exporting (Netdata's rrdset_is_available_for_exporting_and_alarms). */
  readonly obsolete: boolean;
  /** Lazily computed sanitised names per naming mode, cached because they are used on every batch. */
  private graphiteCache: [string, string[]] | undefined;
  private graphiteIdCache: [string, string[]] | undefined;
  private chartsMatch = new Map<object, boolean>();

  constructor(
    readonly machineGuid: string,
    readonly def: ChartDef,
    ringSize: number,
  ) {
    this.id = def.id;
    this.name = def.name || def.id;
    const dot = def.id.indexOf('.');
    this.type = dot >= 0 ? def.id.slice(0, dot) : def.id;
    this.updateEvery = def.updateEvery > 0 ? def.updateEvery : 1;
    this.dimIds = def.dimensions.map((d) => d.id);
    this.dimNames = def.dimensions.map((d) => d.name || d.id);
    this.dimAlgorithms = def.dimensions.map((d) => d.algorithm);
    this.dimMultipliers = Float64Array.from(def.dimensions, (d) => d.multiplier || 1);
    this.dimDivisors = Float64Array.from(def.dimensions, (d) => d.divisor || 1);
    const dims = def.dimensions.length;
    this.mask = ringSize - 1;
    this.times = new Uint32Array(dims * ringSize);
    this.values = new Float64Array(dims * ringSize);
    this.lastTime = new Uint32Array(dims);
    this.lastValue = new Float64Array(dims).fill(NaN);
    this.collectedTime = new Uint32Array(dims);
    this.collectedValue = new Float64Array(dims).fill(NaN);
    this.firstTime = new Uint32Array(dims);
    this.dimObsolete = new Uint8Array(dims);
    this.obsolete = /\bobsolete\b/.test(def.options);
    const first = def.dimensions[0];
    this.homogeneous = def.dimensions.every(
      (d) => d.algorithm === first.algorithm && d.multiplier === first.multiplier && d.divisor === first.divisor,
    );
    for (let d = 0; d < dims; d++) if (/\bobsolete\b/.test(def.dimensions[d].options)) this.dimObsolete[d] = 1;
  }

  get dimensions(): number {
    return this.dimIds.length;
  }

  /** Redefinition keeps the stored points when the dimension layout is unchanged. */
  sameLayout(def: ChartDef): boolean {
    if (def.dimensions.length !== this.dimIds.length) return false;
    if ((def.updateEvery || 1) !== this.updateEvery) return false;
    for (let d = 0; d < this.dimIds.length; d++) if (def.dimensions[d].id !== this.dimIds[d]) return false;
    return true;
  }

  record(dim: number, time: number, value: number, collected: number): void {
    if (dim >= this.dimIds.length) return;
    if (collected === collected && time >= this.collectedTime[dim]) {
      this.collectedTime[dim] = time;
      this.collectedValue[dim] = collected;
    }
    const slot = dim * (this.mask + 1) + (Math.floor(time / this.updateEvery) & this.mask);
    this.times[slot] = time;
    this.values[slot] = value;
    if (value === value) {
      if (time >= this.lastTime[dim]) {
        this.lastTime[dim] = time;
        this.lastValue[dim] = value;
      }
      if (this.firstTime[dim] === 0 || time < this.firstTime[dim]) this.firstTime[dim] = time;
    }
  }

  /**
   * Sum and count of the stored, non-gap points of one dimension with time in [after, before] (inclusive).
   * Writes into out[0] (sum) and out[1] (count); no allocation.
   */
  window(dim: number, after: number, before: number, out: Float64Array): void {
    let sum = 0;
    let count = 0;
    // A point at time t lives in slot floor(t / ue): only the slots of the window are visited, and the stored time
    // decides (robust to points not aligned to update_every, and to slots overwritten by newer points).
    const ue = this.updateEvery;
    const base = dim * (this.mask + 1);
    let k = Math.floor(after / ue);
    const k1 = Math.floor(before / ue);
    if (k1 - k > this.mask) k = k1 - this.mask;
    for (; k <= k1; k++) {
      const i = base + (k & this.mask);
      const t = this.times[i];
      if (t < after || t > before || t === 0) continue;
      const v = this.values[i];
      if (v !== v) continue;
      sum += v;
      count++;
    }
    out[0] = sum;
    out[1] = count;
  }

  graphiteNames(useNames: boolean, sanitize: (s: string) => string): [string, string[]] {
    if (useNames) {
      this.graphiteCache ??= [sanitize(this.name), this.dimNames.map(sanitize)];
      return this.graphiteCache;
    }
    this.graphiteIdCache ??= [sanitize(this.id), this.dimIds.map(sanitize)];
    return this.graphiteIdCache;
  }

  /** `send charts matching` is decided once per chart and filter (Netdata caches it in the chart flags). */
  matchesCharts(filter: object, test: () => boolean): boolean {
    let r = this.chartsMatch.get(filter);
    if (r === undefined) {
      r = test();
      this.chartsMatch.set(filter, r);
    }
    return r;
  }
}
