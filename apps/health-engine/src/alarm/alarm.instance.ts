// One alarm (or template) bound to one chart of one host: compiled expressions bound to this chart's variables,
// lookup selection, status with Netdata's delay/repeat bookkeeping.
import { CompiledExpression, Getter } from '../expression/expression.compiler';
import { HealthDefinition } from '../definition/health-definition';
import { computeLookup, LookupWindow, lookupWindow } from '../lookup/lookup.calculator';
import { ChartRuntime, HostRuntime } from '../host/host.model';
import { DimensionRing } from '../lookup/dimension.ring';
import { AlarmStatus, combineStatus, valueToStatus } from './alarm.status';
import { alarmIdOf } from './alarm-id';

/** Selects the dimensions of a lookup (`of DIMS`): a simple pattern, or one exact id for a foreach alarm. */
export interface DimensionMatcher {
  matches(subject: string): boolean;
}

/** The compiled form of a definition, shared by all its instances. */
export interface CompiledDefinition {
  readonly def: HealthDefinition;
  readonly calc: CompiledExpression | null;
  readonly warn: CompiledExpression | null;
  readonly crit: CompiledExpression | null;
  readonly dimensionPattern: DimensionMatcher | null;
  /** For a `foreach` alarm: the definition it was expanded from. */
  readonly parent?: CompiledDefinition;
}

export interface StatusChange {
  readonly oldStatus: AlarmStatus;
  readonly newStatus: AlarmStatus;
  readonly oldValue: number;
  readonly duration: number;
  readonly nonClearDuration: number;
  readonly delay: number;
  readonly delayUpTo: number;
}

const STATUS_VARS: Record<string, number> = {
  REMOVED: AlarmStatus.REMOVED,
  UNDEFINED: AlarmStatus.UNDEFINED,
  UNINITIALIZED: AlarmStatus.UNINITIALIZED,
  CLEAR: AlarmStatus.CLEAR,
  WARNING: AlarmStatus.WARNING,
  CRITICAL: AlarmStatus.CRITICAL,
};

export class AlarmInstance {
  readonly id: number;
  value = NaN;
  oldValue = NaN;
  status = AlarmStatus.UNINITIALIZED;
  oldStatus = AlarmStatus.UNINITIALIZED;
  lastStatusChange: number;
  lastUpdated = 0;
  nextUpdate = 0;
  lastNonClearSince = 0;
  dbAfter = 0;
  dbBefore = 0;
  /** Name of the first unknown variable met during the current evaluation, '' when none. */
  missing = '';
  calcError = false;
  warnError = false;
  critError = false;
  // delay bookkeeping (Netdata's delay_up_current, delay_down_current, delay_up_to_timestamp, delay_last)
  delayUpCurrent: number;
  delayDownCurrent: number;
  delayUpToTimestamp = 0;
  delayLast = 0;
  lastRepeat = 0;
  /** Status of the last notification actually sent for this alarm (restored from the log at boot). */
  lastNotifiedStatus = AlarmStatus.UNINITIALIZED;
  /** Next event id of this alarm (per host), continued from the log at boot. */
  nextEventId = 1;

  private readonly calcFn: Getter | null;
  private readonly warnFn: Getter | null;
  private readonly critFn: Getter | null;
  private readonly rings: (DimensionRing | null)[] = [];
  private selected = new Uint8Array(0);
  private readonly window: LookupWindow = { after: 0, before: 0 };
  private now = 0;

  constructor(
    readonly compiled: CompiledDefinition,
    readonly host: HostRuntime,
    readonly chart: ChartRuntime,
    now: number,
  ) {
    const def = compiled.def;
    this.id = alarmIdOf(chart.id, def.name);
    this.lastStatusChange = now;
    this.delayUpCurrent = def.delay.up;
    this.delayDownCurrent = def.delay.down;
    const resolve = (name: string) => this.resolve(name);
    this.calcFn = compiled.calc ? compiled.calc.bind(resolve) : null;
    this.warnFn = compiled.warn ? compiled.warn.bind(resolve) : null;
    this.critFn = compiled.crit ? compiled.crit.bind(resolve) : null;
    this.refreshDimensions();
  }

  get name(): string {
    return this.compiled.def.name;
  }

  get def(): HealthDefinition {
    return this.compiled.def;
  }

  get updateEvery(): number {
    return this.compiled.def.every > 0 ? this.compiled.def.every : this.chart.updateEvery;
  }

  /** Seconds of points the lookup reads, so the chart keeps rings that long. */
  neededSeconds(): number {
    const l = this.compiled.def.lookup;
    if (!l) return 0;
    // aligned windows may reach one window further back than `after`
    return -l.before - l.after * (l.unaligned ? 1 : 2) + 2 * this.chart.updateEvery;
  }

  /** Re-reads the chart's dimensions (after a chart redefinition or ring allocation). */
  refreshDimensions(): void {
    const dims = this.chart.dims;
    const l = this.compiled.def.lookup;
    const pattern = this.compiled.dimensionPattern;
    this.rings.length = 0;
    this.selected = new Uint8Array(dims.length);
    for (let i = 0; i < dims.length; i++) {
      this.rings.push(dims[i].ring);
      let sel = true;
      if (pattern && l) sel = (l.matchIds && pattern.matches(dims[i].id)) || (l.matchNames && pattern.matches(dims[i].name));
      this.selected[i] = sel ? 1 : 0;
    }
  }

  /** Netdata's rrdcalc_isrunnable, minus scheduling. */
  runnable(): boolean {
    return this.chart.lastCollectedT > 0 && !this.chart.def.options.split(/\s+/).includes('obsolete');
  }

  /** One evaluation at `now` (seconds). Returns the status change, if any. */
  evaluate(now: number): StatusChange | null {
    this.now = now;
    this.oldValue = this.value;
    this.lastUpdated = now;
    this.nextUpdate = now + this.updateEvery;
    const lookup = this.compiled.def.lookup;
    if (lookup) {
      lookupWindow(lookup, now, this.window);
      this.dbAfter = this.window.after;
      this.dbBefore = this.window.before;
      this.value = computeLookup(lookup, this.rings, this.selected, this.window);
    }
    if (this.calcFn) {
      this.missing = '';
      const v = this.calcFn();
      this.calcError = this.missing !== '';
      this.value = this.calcError ? NaN : v;
    }
    let warning = AlarmStatus.UNDEFINED;
    let critical = AlarmStatus.UNDEFINED;
    if (this.warnFn) {
      this.missing = '';
      const w = this.warnFn();
      this.warnError = this.missing !== '';
      if (!this.warnError) warning = valueToStatus(w);
    }
    if (this.critFn) {
      this.missing = '';
      const c = this.critFn();
      this.critError = this.missing !== '';
      if (!this.critError) critical = valueToStatus(c);
    }
    const status = combineStatus(warning, critical);
    if (status === this.status) return null;
    return this.changeStatus(status, now);
  }

  /** Applies a new status with Netdata's delay rules; returns what the log entry needs. */
  changeStatus(status: AlarmStatus, now: number): StatusChange {
    const d = this.compiled.def.delay;
    if (now > this.delayUpToTimestamp) {
      this.delayUpCurrent = d.up;
      this.delayDownCurrent = d.down;
      this.delayLast = 0;
      this.delayUpToTimestamp = 0;
    } else {
      this.delayUpCurrent = Math.min(Math.trunc(this.delayUpCurrent * d.multiplier), d.max);
      this.delayDownCurrent = Math.min(Math.trunc(this.delayDownCurrent * d.multiplier), d.max);
    }
    const delay = status > this.status ? this.delayUpCurrent : this.delayDownCurrent;
    this.delayLast = delay;
    this.delayUpToTimestamp = now + delay;
    const change: StatusChange = {
      oldStatus: this.status,
      newStatus: status,
      oldValue: this.oldValue,
      duration: now - this.lastStatusChange,
      nonClearDuration: this.status > AlarmStatus.CLEAR && this.lastNonClearSince ? now - this.lastNonClearSince : 0,
      delay,
      delayUpTo: now + delay,
    };
    if (status > AlarmStatus.CLEAR && !(this.status > AlarmStatus.CLEAR)) this.lastNonClearSince = now;
    if (status <= AlarmStatus.CLEAR) this.lastNonClearSince = 0;
    this.lastStatusChange = now;
    this.oldStatus = this.status;
    this.status = status;
    this.lastRepeat = now;
    return change;
  }

  /** True when a repeat notification is due now (repeat every N seconds while WARNING/CRITICAL). */
  repeatDue(now: number): boolean {
    const every =
      this.status === AlarmStatus.WARNING
        ? this.compiled.def.warnRepeatEvery
        : this.status === AlarmStatus.CRITICAL
          ? this.compiled.def.critRepeatEvery
          : 0;
    if (every <= 0 || now < this.lastRepeat + every || now < this.delayUpToTimestamp) return false;
    this.lastRepeat = now;
    return true;
  }

  private unknown(name: string): Getter {
    return () => {
      const v = this.dynamic(name);
      if (v === undefined) {
        if (!this.missing) this.missing = name;
        return NaN;
      }
      return v;
    };
  }

  private resolve(name: string): Getter {
    switch (name) {
      case 'this':
        return () => this.value;
      case 'status':
        return () => this.status;
      case 'now':
        return () => this.now;
      case 'after':
        return () => this.dbAfter;
      case 'before':
        return () => this.dbBefore;
      case 'update_every':
        return () => this.chart.updateEvery;
      case 'last_collected_t':
        return () => this.chart.lastCollectedT;
      case 'green':
      case 'red':
        return () => NaN;
    }
    if (name in STATUS_VARS) {
      const v = STATUS_VARS[name];
      return () => v;
    }
    return this.unknown(name);
  }

  /** Variables that may appear after binding: dimensions, chart/host VARIABLEs, other alarms, chart.dim. */
  private dynamic(name: string): number | undefined {
    const chart = this.chart;
    const local = this.chartScoped(chart, name);
    if (local !== undefined) return local;
    const hv = this.host.variables.get(name);
    if (hv !== undefined) return hv;
    for (const a of this.host.alarms) if (a.name === name) return a.value;
    const dot = name.lastIndexOf('.');
    if (dot > 0) {
      // "chart.x" where the chart id itself has a dot: try every split point from the right
      for (let i = dot; i > 0; i = name.lastIndexOf('.', i - 1)) {
        const other = this.host.chart(name.slice(0, i));
        if (other) {
          const v = this.chartScoped(other, name.slice(i + 1));
          if (v !== undefined) return v;
        }
      }
    }
    return undefined;
  }

  private chartScoped(chart: ChartRuntime, name: string): number | undefined {
    const dim = chart.dimension(name);
    if (dim) return dim.lastValue;
    if (name.endsWith('_raw')) {
      const d = chart.dimension(name.slice(0, -4));
      if (d) return d.lastValue;
    }
    if (name.endsWith('_last_collected_t')) {
      const d = chart.dimension(name.slice(0, -'_last_collected_t'.length));
      if (d) return d.lastCollectedT;
    }
    const cv = chart.variables.get(name);
    if (cv !== undefined) return cv;
    for (const a of chart.alarms) if (a.name === name) return a.value;
    return undefined;
  }
}
