import type { ChartDef, HostInfo } from '@tributary/protocol';
import { Series } from './series';
import { ChartRec, DimRec, HostRec, PERSISTED_MODES } from './topology';

export interface RegistryDefaults {
  historyS: number;
  memoryMode: string;
  pagePoints: number;
}

/** Every host, chart and dimension in memory. Ids are allocated here, so writes never wait for PostgreSQL. */
export class TopologyRegistry {
  readonly hosts = new Map<string, HostRec>();
  readonly dims = new Map<number, DimRec>();
  readonly charts = new Map<number, ChartRec>();
  private nextHostId = 1;
  private nextChartId = 1;
  private nextDimId = 1;

  constructor(private readonly defaults: RegistryDefaults) {}

  /**
   * A host by machine GUID only: every internal caller (replication start, alarm backfill, proxy replay) names hosts
   * by GUID, and a child whose hostname is another host's GUID must not be found in its place.
   */
  hostByGuid(guid: string): HostRec | undefined {
    return this.hosts.get(guid) ?? this.hosts.get(guid.toLowerCase());
  }

  /**
   * `/host/X/`: machine GUID first, then hostname. Netdata tries the hostname first; a hostname equal to another
   * host's GUID would then take that host's URL, so the GUID wins here.
   */
  findHost(key: string, guidOnly = false): HostRec | undefined {
    const byGuid = this.hostByGuid(key);
    if (byGuid || guidOnly) return byGuid;
    for (const h of this.hosts.values()) if (h.info.hostname === key) return h;
    return undefined;
  }

  findChart(host: HostRec, key: string): ChartRec | undefined {
    const byId = host.charts.get(key);
    if (byId) return byId;
    for (const c of host.charts.values()) if (c.def.name === key) return c;
    return undefined;
  }

  normalize(info: HostInfo): HostInfo {
    const memoryMode = info.memoryMode || this.defaults.memoryMode;
    const historySeconds = info.historySeconds > 0 ? info.historySeconds : this.defaults.historyS;
    return { ...info, memoryMode, historySeconds };
  }

  /** Inserts or updates a host; `changed` tells whether PostgreSQL needs the new definition. */
  upsertHost(raw: HostInfo, nowMs: number, id?: number): { host: HostRec; changed: boolean } {
    const info = this.normalize(raw);
    const key = JSON.stringify(info);
    const existing = this.hosts.get(info.machineGuid);
    if (existing) {
      existing.lastSeenMs = nowMs;
      if (existing.infoKey === key) return { host: existing, changed: false };
      existing.info = info;
      existing.infoKey = key;
      this.applyMode(existing);
      return { host: existing, changed: true };
    }
    const hostId = id ?? this.nextHostId;
    this.nextHostId = Math.max(this.nextHostId, hostId + 1);
    const host: HostRec = {
      id: hostId,
      guid: info.machineGuid,
      info,
      infoKey: key,
      online: false,
      firstSeenMs: nowMs,
      lastSeenMs: nowMs,
      stateSinceMs: nowMs,
      peer: '',
      lastDisconnectReason: '',
      charts: new Map(),
      variables: new Map(),
      persisted: false,
      stores: false,
      historyS: 0,
    };
    this.applyMode(host);
    this.hosts.set(host.guid, host);
    return { host, changed: true };
  }

  private applyMode(host: HostRec): void {
    const mode = host.info.memoryMode;
    host.persisted = PERSISTED_MODES.has(mode);
    host.stores = mode !== 'none';
    host.historyS = host.info.historySeconds;
  }

  /**
   * Inserts or updates a chart. Its dims follow the definition's order (dimension_index of the stream); dimensions
   * no longer declared stay after them so their stored data remains queryable.
   */
  upsertChart(host: HostRec, def: ChartDef, ids?: { chart: number; dims: number[] }): { chart: ChartRec; changed: boolean } {
    const defKey = JSON.stringify(def);
    let chart = host.charts.get(def.id);
    if (chart && chart.defKey === defKey) {
      if (chart.obsolete) {
        chart.obsolete = false;
        return { chart, changed: true };
      }
      return { chart, changed: false };
    }
    if (!chart) {
      const chartId = ids?.chart ?? this.nextChartId;
      this.nextChartId = Math.max(this.nextChartId, chartId + 1);
      chart = { id: chartId, host, def, defKey, dims: [], obsolete: false, updateEvery: 1, seenInBatch: 0 };
      host.charts.set(def.id, chart);
      this.charts.set(chartId, chart);
    }
    chart.def = def;
    chart.defKey = defKey;
    chart.obsolete = false;
    chart.updateEvery = def.updateEvery > 0 ? def.updateEvery : host.info.updateEvery > 0 ? host.info.updateEvery : 1;
    const old = new Map(chart.dims.map((d) => [d.def.id, d]));
    const dims: DimRec[] = [];
    def.dimensions.forEach((dd, i) => {
      let dim = old.get(dd.id);
      if (dim) {
        old.delete(dd.id);
        dim.def = dd;
      } else {
        const dimId = ids?.dims[i] ?? this.nextDimId;
        this.nextDimId = Math.max(this.nextDimId, dimId + 1);
        dim = { id: dimId, chart: chart as ChartRec, def: dd, series: new Series(this.defaults.pagePoints, firstPagePoints(this.defaults.pagePoints, dimId)) };
        this.dims.set(dimId, dim);
      }
      dims.push(dim);
    });
    for (const rest of old.values()) dims.push(rest);
    chart.dims = dims;
    return { chart, changed: true };
  }

  /** Restores a dimension kept in PostgreSQL but no longer part of its chart's definition. */
  restoreExtraDim(chart: ChartRec, id: number, def: ChartDef['dimensions'][number]): void {
    if (this.dims.has(id)) return;
    const dim: DimRec = { id, chart, def, series: new Series(this.defaults.pagePoints, firstPagePoints(this.defaults.pagePoints, id)) };
    this.nextDimId = Math.max(this.nextDimId, id + 1);
    this.dims.set(id, dim);
    chart.dims.push(dim);
  }

  removeHost(host: HostRec): void {
    for (const c of host.charts.values()) {
      for (const d of c.dims) this.dims.delete(d.id);
      this.charts.delete(c.id);
    }
    this.hosts.delete(host.guid);
  }
}

/**
 * The first page of a dimension fills to between half and all of a page, spread by its id, so that dimensions that
 * started together do not all seal (encode, queue for PostgreSQL) in the same turn: thousands of them at once stalled
 * the store for most of a second (measured under overload), hundreds of thousands would stall it for seconds.
 */
export function firstPagePoints(pagePoints: number, dimId: number): number {
  const half = Math.floor(pagePoints / 2);
  return half > 0 ? pagePoints - ((Math.imul(dimId, 2654435761) >>> 0) % half) : pagePoints;
}
