import {
  serializeChartDefinitionEnd,
  serializeRBeginChart,
  serializeRBeginPoint,
  serializeRDState,
  serializeREnd,
  serializeRSet,
  serializeRSState,
  StreamCapability as C,
  type ChartDef,
  type HostInfo,
} from '@tributary/protocol';
import type { ChartState } from '../collect/chart.state';
import type { StoreWriter } from '../store/store.writer';
import { chartDefinitionLines, hostLabelLines, claimLine } from './proxy.lines';
import type { ProxyLog, ProxySource } from './proxy.sender';

/** What a proxied child's session shows of itself to the sender. */
export interface ProxiedHostView {
  readonly machineGuid: string;
  readonly hostname: string;
  host(): HostInfo;
  readonly charts: ReadonlyMap<string, ChartState>;
  readonly chartDefs: ReadonlyMap<string, ChartDef>;
  /** whether `proxy send charts matching` lets the chart through */
  proxied(chartId: string): boolean;
}

/**
 * The proxy's source of truth for one child: its live definitions and collection state from the session, its stored
 * points from metric-store (for the next parent's replication requests).
 */
export class StoredHostSource implements ProxySource {
  constructor(
    private readonly view: ProxiedHostView,
    private readonly writer: StoreWriter,
    private readonly storeLookupMs: number,
    private readonly log: ProxyLog,
  ) {}

  /**
   * Everything the next parent must know about this host now, sent on each (re)connect. With REPLICATION every chart
   * ends with CHART_DEFINITION_END and this parent's retention for it (metric-store's), so the next parent asks for
   * what it missed.
   */
  async definitions(caps: number): Promise<{ text: string; replicating: string[] }> {
    const h = this.view.host();
    const replicate = (caps & C.REPLICATION) !== 0;
    const stored = new Map<string, { first: number; last: number }>();
    if (replicate) {
      const res = await this.writer.listCharts(this.view.machineGuid, this.storeLookupMs);
      for (const c of res?.charts ?? []) stored.set(c.id, { first: c.firstEntryS, last: c.lastEntryS });
    }
    const now = Math.floor(Date.now() / 1000);
    let text = hostLabelLines(h, caps) + claimLine(h, caps);
    const replicating: string[] = [];
    for (const def of this.view.chartDefs.values()) {
      if (!this.view.proxied(def.id)) continue;
      text += chartDefinitionLines(def, caps);
      if (!replicate) continue;
      const r = stored.get(def.id);
      const last = Math.max(r?.last ?? 0, this.view.charts.get(def.id)?.lastStoredS ?? 0);
      const first = r && r.first > 0 && r.first < last ? r.first : last > 0 ? last - 1 : 0;
      text += serializeChartDefinitionEnd(first, last, now);
      replicating.push(def.id);
    }
    return { text, replicating };
  }

  /** REPLAY_CHART from the next parent, answered from metric-store as a 1.37 child answers from its database. */
  async replay(id: string, start: boolean, after: number, before: number): Promise<string> {
    const st = this.view.charts.get(id);
    const def = this.view.chartDefs.get(id);
    const now = Math.floor(Date.now() / 1000);
    if (!st || !def) return serializeRBeginChart(id) + serializeREnd(1, 0, 0, start, after, before, now);
    const ue = st.updateEvery;
    let text = serializeRBeginChart(id);
    let first = 0;
    let last = 0;
    if (after > 0 && before >= after) {
      try {
        // With start_streaming a 1.37 child sends everything after `after` up to its latest point.
        const res = await this.writer.query(
          { host: this.view.machineGuid, chart: id, after, before: start ? now : before, points: 0, group: 'none', dimensions: [], groupTime: 0, guidOnly: true },
          10000,
        );
        first = res.firstEntryS;
        last = res.lastEntryS;
        const cols = res.dimensionIds.length;
        const times = new Uint32Array(Uint8Array.from(res.timeS).buffer);
        const values = new Float64Array(Uint8Array.from(res.values).buffer);
        for (let r = 0; r < res.rows; r++) {
          const t = times[r];
          if (t <= after) continue;
          text += serializeRBeginPoint(t - ue, t, now);
          for (let c = 0; c < cols; c++) {
            const v = values[r * cols + c];
            text += serializeRSet(res.dimensionIds[c], v, Number.isNaN(v) ? 'E' : '');
          }
        }
      } catch (e) {
        this.log.error(`STREAM ${this.view.hostname}: cannot read '${id}' from metric-store for the next parent's replication: ${(e as Error).message}`);
      }
    }
    if (start) {
      // the collection state as it is now, so the next BEGIN continues it (live data of this chart resumes after REND)
      for (const d of st.dims) text += serializeRDState(d.id, st.lastCollectedUt, d.lastCollected, d.lastCalculated, d.lastStored);
      text += serializeRSState(st.lastCollectedUt, st.lastUpdatedUt);
    }
    return text + serializeREnd(ue, first, last, start, after, before, now);
  }
}
