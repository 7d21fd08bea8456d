import type { ChartUpsert, HostInfo, HostState, SampleColumns, Variable } from '@tributary/protocol';
import { ChartSeries } from './chart.series';

export interface HostEntry {
  readonly machineGuid: string;
  info: HostInfo;
  connected: boolean;
  /** chart id -> series, in declaration order (Netdata walks charts in its dictionary order). */
  readonly charts: Map<string, ChartSeries>;
  readonly variables: Map<string, number>;
}

/** Ring slots per dimension when not sized from the configuration. */
export const DEFAULT_RING_SLOTS = 128;

/**
 * Slots per dimension for the longest window the configuration can ask for: the largest `update every` plus the
 * 3-interval lag, and at least 2 minutes for Prometheus scrape intervals (older points of longer windows are not
 * counted). 12 bytes per slot, so 128 slots cost 1.5 KiB per dimension.
 */
export function ringSlotsFor(maxUpdateEvery: number): number {
  const need = Math.max(120, maxUpdateEvery + 8);
  let n = 1;
  while (n < need) n *= 2;
  return n;
}

/** Every host the parent holds, as seen on the metric-store subscription. */
export class HostRegistry {
  readonly hosts = new Map<string, HostEntry>();
  /** Per subscription: machine guid -> chart index -> series. Reset on every resubscribe. */
  private byIndex = new Map<string, (ChartSeries | undefined)[]>();
  samplesApplied = 0;

  constructor(private readonly ringSlots = DEFAULT_RING_SLOTS) {
    if ((ringSlots & (ringSlots - 1)) !== 0) throw new Error('ring slots must be a power of two');
  }

  /** A new subscription numbers its charts again from scratch. */
  resetSubscription(): void {
    this.byIndex = new Map();
  }

  private host(guid: string): HostEntry {
    let h = this.hosts.get(guid);
    if (!h) {
      h = {
        machineGuid: guid,
        info: {
          machineGuid: guid,
          hostname: guid,
          registryHostname: '',
          os: '',
          timezone: '',
          abbrevTimezone: '',
          utcOffset: 0,
          hops: 0,
          programName: 'netdata',
          programVersion: '',
          updateEvery: 1,
          tags: '',
          systemInfo: {},
          labels: {},
          claimId: '',
          memoryMode: '',
          historySeconds: 0,
          healthEnabled: '',
        },
        connected: false,
        charts: new Map(),
        variables: new Map(),
      };
      this.hosts.set(guid, h);
    }
    return h;
  }

  applyHost(info: HostInfo): void {
    this.host(info.machineGuid).info = info;
  }

  applyState(state: HostState): void {
    this.host(state.machineGuid).connected = state.connected;
  }

  applyVariable(v: Variable): void {
    if (v.chartId) return; // only host variables are exported (remote write `send variables`)
    this.host(v.machineGuid).variables.set(v.name, v.value);
  }

  applyChart(up: ChartUpsert): ChartSeries | undefined {
    const def = up.chart;
    if (!def) return undefined;
    const h = this.host(up.machineGuid);
    if (/\bobsolete\b/.test(def.options)) {
      // Not exported any more (Netdata skips obsolete charts): its rings are freed. A revived chart is announced again.
      h.charts.delete(def.id);
      const idx = this.byIndex.get(up.machineGuid);
      if (idx) idx[up.chartIndex] = undefined;
      return undefined;
    }
    let series = h.charts.get(def.id);
    if (!series || !series.sameLayout(def)) {
      series = new ChartSeries(up.machineGuid, def, this.ringSlots);
      h.charts.set(def.id, series);
    }
    let idx = this.byIndex.get(up.machineGuid);
    if (!idx) {
      idx = [];
      this.byIndex.set(up.machineGuid, idx);
    }
    idx[up.chartIndex] = series;
    return series;
  }

  /** Hot path: columnar rows straight into the rings. Returns the rows applied. */
  applySamples(s: SampleColumns): number {
    const idx = this.byIndex.get(s.machineGuid);
    if (!idx) return 0;
    const rows = s.rows;
    const ci = s.chartIndex;
    const di = s.dimensionIndex;
    const ts = s.timeS;
    const vs = s.value;
    if (ci.length < rows * 4 || di.length < rows * 4 || ts.length < rows * 4 || vs.length < rows * 8) return 0;
    const cv = new DataView(ci.buffer, ci.byteOffset, ci.byteLength);
    const dv = new DataView(di.buffer, di.byteOffset, di.byteLength);
    const tv = new DataView(ts.buffer, ts.byteOffset, ts.byteLength);
    const vv = new DataView(vs.buffer, vs.byteOffset, vs.byteLength);
    // Raw collected values travel only on the live path (absent: replicated history, or a writer without them).
    const raw = s.collected.length >= rows * 8 ? new DataView(s.collected.buffer, s.collected.byteOffset, s.collected.byteLength) : undefined;
    let applied = 0;
    for (let i = 0; i < rows; i++) {
      const series = idx[cv.getUint32(i * 4, true)];
      if (series === undefined) continue;
      series.record(dv.getUint32(i * 4, true), tv.getUint32(i * 4, true), vv.getFloat64(i * 8, true), raw ? raw.getFloat64(i * 8, true) : NaN);
      applied++;
    }
    this.samplesApplied += applied;
    return applied;
  }

  /** Marks "machine_guid/chart_id" obsolete charts as gone. */
  removeChart(guid: string, chartId: string): void {
    this.hosts.get(guid)?.charts.delete(chartId);
  }

  /** A host metric-store removed: nothing of it is exported any more, and its rings are freed. */
  removeHost(guid: string): void {
    this.hosts.delete(guid);
    this.byIndex.delete(guid);
  }
}
