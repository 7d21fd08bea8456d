import { Server, ServerCredentials, ServerDuplexStream } from '@grpc/grpc-js';
import {
  ChartDef, HostInfo, HostState, ListChartsResponse, MetricStoreServer, MetricStoreService, SampleColumns, Variable, WRITER_ID_METADATA, WriteAck, WriteBatch,
} from '@tributary/protocol';

export interface StoredPoint {
  chartId: string;
  dimId: string;
  timeS: number;
  value: number;
  flags: number;
}

/**
 * An in-process MetricStore that records what a writer sends, resolving chart indexes per call exactly as the
 * contract says (so a writer that forgets to re-declare after a reconnect fails here).
 */
export class FakeMetricStore {
  private server = new Server();
  readonly hosts = new Map<string, HostInfo>();
  readonly charts = new Map<string, ChartDef>(); // guid/chartId
  readonly states: HostState[] = [];
  readonly variables: Variable[] = [];
  readonly points = new Map<string, StoredPoint[]>(); // guid -> points
  readonly batchIds: number[] = [];
  readonly deletedCharts: string[] = [];
  errors: string[] = [];
  /** when set, batches are received but not acknowledged */
  holdAcks = false;
  private held: { call: ServerDuplexStream<WriteBatch, WriteAck>; ack: WriteAck }[] = [];
  calls = 0;
  port = 0;
  /** the `tributary-writer-id` of each call, in order */
  readonly writerIds: string[] = [];
  /** encoded size of every batch received */
  readonly batchBytes: number[] = [];
  /** batches acknowledged as duplicates (applied before under the same writer id) */
  duplicates = 0;
  /** when it returns a refusal, the batch is refused (not applied) and so is the rest of its call, as metric-store does */
  refuse: ((b: WriteBatch) => { error: string; retryable: boolean } | undefined) | undefined;
  /** when true for a batch, it is applied but its call is ended before the ack: the ack is lost */
  loseAck: ((b: WriteBatch) => boolean) | undefined;
  private readonly applied = new Set<string>();

  async start(port = 0): Promise<number> {
    const impl: Partial<MetricStoreServer> = {
      write: (call) => this.onWrite(call),
      listCharts: (call, cb) => {
        const charts = [...this.charts.entries()].filter(([k]) => k.startsWith(call.request.host + '/')).map(([, c]) => c);
        const res: ListChartsResponse = { host: undefined, charts, variables: [] };
        cb(null, res);
      },
    };
    this.server.addService(MetricStoreService, impl as MetricStoreServer);
    this.port = await new Promise<number>((res, rej) =>
      this.server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))),
    );
    return this.port;
  }

  releaseAcks(): void {
    this.holdAcks = false;
    for (const h of this.held) h.call.write(h.ack);
    this.held = [];
  }

  stop(): Promise<void> {
    return new Promise((r) => {
      this.server.forceShutdown();
      r();
    });
  }

  pointsOf(guid: string, chartId: string, dimId?: string): StoredPoint[] {
    return (this.points.get(guid) ?? []).filter((p) => p.chartId === chartId && (dimId === undefined || p.dimId === dimId));
  }

  private onWrite(call: ServerDuplexStream<WriteBatch, WriteAck>): void {
    this.calls++;
    const index = new Map<number, { guid: string; def: ChartDef }>();
    const writer = String(call.metadata.get(WRITER_ID_METADATA)[0] ?? '');
    this.writerIds.push(writer);
    let refusedCall = false;
    let over = false;
    call.on('data', (b: WriteBatch): void => {
      if (over) return;
      this.batchBytes.push(WriteBatch.encode(b).finish().length);
      if (refusedCall) {
        call.write({ batchId: b.batchId, rows: 0, error: 'an earlier batch was refused', retryable: true, duplicate: false });
        return;
      }
      const no = this.refuse?.(b);
      if (no) {
        refusedCall = true;
        call.write({ batchId: b.batchId, rows: 0, error: no.error, retryable: no.retryable, duplicate: false });
        return;
      }
      if (writer && this.applied.has(`${writer}/${b.batchId}`)) {
        this.duplicates++;
        call.write({ batchId: b.batchId, rows: 0, error: '', retryable: false, duplicate: true });
        return;
      }
      if (writer) this.applied.add(`${writer}/${b.batchId}`);
      this.batchIds.push(b.batchId);
      for (const h of b.hosts) this.hosts.set(h.machineGuid, h);
      for (const c of b.charts) {
        if (!c.chart) continue;
        index.set(c.chartIndex, { guid: c.machineGuid, def: c.chart });
        const prev = this.charts.get(`${c.machineGuid}/${c.chart.id}`);
        this.charts.set(`${c.machineGuid}/${c.chart.id}`, { ...c.chart, lastEntryS: prev?.lastEntryS ?? 0 });
      }
      this.states.push(...b.states);
      this.deletedCharts.push(...b.deletedCharts);
      this.variables.push(...b.variables);
      let rows = 0;
      for (const s of b.samples) rows += this.store(s, index);
      const ack: WriteAck = { batchId: b.batchId, rows, error: '', retryable: false, duplicate: false };
      if (this.loseAck?.(b)) {
        over = true;
        call.end();
        return;
      }
      if (this.holdAcks) this.held.push({ call, ack });
      else call.write(ack);
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined);
  }

  private store(s: SampleColumns, index: Map<number, { guid: string; def: ChartDef }>): number {
    const ci = new Uint32Array(Uint8Array.from(s.chartIndex).buffer);
    const di = new Uint32Array(Uint8Array.from(s.dimensionIndex).buffer);
    const t = new Uint32Array(Uint8Array.from(s.timeS).buffer);
    const v = new Float64Array(Uint8Array.from(s.value).buffer);
    const f = Uint8Array.from(s.flags);
    let list = this.points.get(s.machineGuid);
    if (!list) this.points.set(s.machineGuid, (list = []));
    for (let i = 0; i < s.rows; i++) {
      const c = index.get(ci[i]);
      if (!c) {
        this.errors.push(`chart index ${ci[i]} not declared on this call`);
        continue;
      }
      const dim = c.def.dimensions[di[i]];
      if (!dim) {
        this.errors.push(`dimension index ${di[i]} not in chart ${c.def.id}`);
        continue;
      }
      list.push({ chartId: c.def.id, dimId: dim.id, timeS: t[i], value: v[i], flags: f[i] });
      const key = `${c.guid}/${c.def.id}`;
      const def = this.charts.get(key);
      if (def && !Number.isNaN(v[i]) && t[i] > def.lastEntryS) def.lastEntryS = t[i];
    }
    return s.rows;
  }
}
