// In-memory topology of every host metric-store holds, as fed by its Subscribe stream.
import type { ChartDef, HostInfo } from '@tributary/protocol';
import { DimensionRing } from '../lookup/dimension.ring';
import type { AlarmInstance } from '../alarm/alarm.instance';

export class DimensionRuntime {
  lastValue = NaN;
  lastCollectedT = 0;
  ring: DimensionRing | null = null;

  constructor(
    readonly id: string,
    readonly name: string,
  ) {}

  /** Grows (never shrinks) the ring so it holds `points` points. */
  ensureRing(points: number): void {
    if (this.ring && this.ring.capacity >= points) return;
    const next = new DimensionRing(points);
    const old = this.ring;
    if (old) {
      const t: number[] = [];
      const v: number[] = [];
      for (let i = 0; i < old.length; i++) {
        t.push(old.times[old.slot(i)]);
        v.push(old.values[old.slot(i)]);
      }
      next.prepend(t, v);
    }
    this.ring = next;
  }
}

export class ChartRuntime {
  dims: DimensionRuntime[] = [];
  lastCollectedT = 0;
  readonly variables = new Map<string, number>();
  readonly alarms: AlarmInstance[] = [];
  /** Seconds of history the bound alarms need; 0 = no ring kept. */
  neededSeconds = 0;

  constructor(
    readonly host: HostRuntime,
    public def: ChartDef,
  ) {
    this.setDef(def);
  }

  get id(): string {
    return this.def.id;
  }

  get updateEvery(): number {
    return this.def.updateEvery > 0 ? this.def.updateEvery : this.host.info.updateEvery > 0 ? this.host.info.updateEvery : 1;
  }

  setDef(def: ChartDef): void {
    const old = new Map(this.dims.map((d) => [d.id, d]));
    this.def = def;
    this.dims = def.dimensions.map((d) => old.get(d.id) ?? new DimensionRuntime(d.id, d.name || d.id));
    if (def.lastEntryS > this.lastCollectedT) this.lastCollectedT = def.lastEntryS;
  }

  dimension(idOrName: string): DimensionRuntime | undefined {
    return this.dims.find((d) => d.id === idOrName) ?? this.dims.find((d) => d.name === idOrName);
  }
}

export class HostRuntime {
  readonly charts = new Map<string, ChartRuntime>();
  readonly chartsByName = new Map<string, ChartRuntime>();
  readonly variables = new Map<string, number>();
  readonly alarms: AlarmInstance[] = [];
  connected = false;
  /**
   * True after a clean close, and for a host never seen connected since boot (an archived host, as Netdata keeps
   * them: no health): alarms are frozen so that last_collected alarms do not fire. Only a disconnect observed live
   * as ungraceful keeps a `health enabled = yes` host running.
   */
  gracefullyClosed = true;
  /** Set by the engine when the last transition to disconnected happened, seconds. */
  disconnectedAt = 0;

  constructor(public info: HostInfo) {}

  get guid(): string {
    return this.info.machineGuid;
  }

  get hostname(): string {
    return this.info.hostname || this.info.machineGuid;
  }

  /** stream.conf's per-host switch, as metric-store resolved it. */
  healthActive(): boolean {
    if (this.info.memoryMode === 'none') return false;
    const mode = this.info.healthEnabled || 'auto';
    if (mode === 'no') return false;
    if (mode === 'auto') return this.connected;
    return !this.gracefullyClosed;
  }

  chart(idOrName: string): ChartRuntime | undefined {
    return this.charts.get(idOrName) ?? this.chartsByName.get(idOrName);
  }
}
