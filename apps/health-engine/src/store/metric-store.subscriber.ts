// Feeds the engine from metric-store: one Subscribe stream (topology + live points) that reconnects on its own,
// and Query backfills so that a freshly bound lookup does not wait a whole window for data.
import { connectivityState, credentials, ClientReadableStream, Metadata, ServiceError } from '@grpc/grpc-js';
import { ChartUpsert, MetricStoreClient, QueryResponse, SampleColumns, SubscribeEvent } from '@tributary/protocol';
import { PROMPT_RECONNECT_OPTIONS } from '@tributary/runtime';
import { ChartRuntime } from '../host/host.model';
import { EngineLogger, HealthEngine } from '../alarm/health.engine';

export class MetricStoreSubscriber {
  private readonly client: MetricStoreClient;
  private call: ClientReadableStream<SubscribeEvent> | null = null;
  /** Per host, charts by their index on the current subscription. */
  private indexes = new Map<string, ChartRuntime[]>();
  private readonly backfilled = new WeakSet<ChartRuntime>();
  private readonly backfillQueue: ChartRuntime[] = [];
  private backfilling = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = 500;
  /** Set once the stream delivered headers or an event; a store with nothing to say may send neither for a while. */
  private confirmed = false;
  events = 0;

  constructor(
    readonly addr: string,
    private readonly engine: HealthEngine,
    private readonly logger: EngineLogger,
  ) {
    this.client = new MetricStoreClient(addr, credentials.createInsecure(), {
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
      // Every sample of every child flows down this stream: a 64 KiB window would pace it to our event-loop turns.
      'grpc-node.flow_control_window': 16 * 1024 * 1024,
      ...PROMPT_RECONNECT_OPTIONS,
    });
  }

  start(): void {
    this.stopped = false;
    this.indexes = new Map();
    const call = this.client.subscribe({ machineGuids: [], withTopology: true });
    this.call = call;
    call.on('metadata', () => this.confirm());
    call.on('data', (ev: SubscribeEvent) => this.onEvent(ev));
    call.on('error', (err: ServiceError) => this.retry(`${err.code}: ${err.details || err.message}`));
    call.on('end', () => this.retry('stream ended'));
  }

  private confirm(): void {
    if (this.confirmed) return;
    this.confirmed = true;
    this.retryMs = 500;
    this.logger.log(`subscribed to metric-store at ${this.addr}`);
  }

  /** The subscription is open and its channel is up (readiness). */
  get connected(): boolean {
    if (!this.call || this.stopped) return false;
    return this.confirmed || this.client.getChannel().getConnectivityState(false) === connectivityState.READY;
  }

  private retry(why: string): void {
    if (this.stopped || this.retryTimer) return;
    if (this.confirmed || this.retryMs === 500) this.logger.warn(`metric-store subscription at ${this.addr} lost (${why}), retrying`);
    this.confirmed = false;
    this.call?.removeAllListeners();
    this.call?.on('error', () => undefined);
    this.call?.cancel();
    this.call = null;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.start();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, 5000);
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.call) {
      this.call.removeAllListeners();
      this.call.on('error', () => undefined);
      this.call.cancel();
    }
    this.call = null;
    this.confirmed = false;
    this.client.close();
  }

  private onEvent(ev: SubscribeEvent): void {
    this.events++;
    if (!this.confirmed) this.confirm();
    const e = ev.event;
    if (!e) return;
    switch (e.$case) {
      case 'samples':
        return this.onSamples(e.samples);
      case 'host':
        this.engine.upsertHost(e.host);
        return;
      case 'chart':
        return this.onChart(e.chart);
      case 'state':
        return this.engine.setState(e.state);
      case 'variable':
        return this.engine.setVariable(e.variable);
      case 'removedHost':
        return this.engine.removeHost(e.removedHost);
    }
  }

  private onChart(c: ChartUpsert): void {
    if (!c.chart) return;
    const chart = this.engine.upsertChart(c.machineGuid, c.chart);
    let list = this.indexes.get(c.machineGuid);
    if (!list) {
      list = [];
      this.indexes.set(c.machineGuid, list);
    }
    list[c.chartIndex] = chart;
    if (chart.neededSeconds > 0 && !this.backfilled.has(chart)) {
      this.backfilled.add(chart);
      this.backfillQueue.push(chart);
      void this.drainBackfills();
    }
  }

  /** Hot path: columnar points, read straight from the buffers. */
  private onSamples(s: SampleColumns): void {
    const charts = this.indexes.get(s.machineGuid);
    if (!charts) return;
    const ci = s.chartIndex;
    const di = s.dimensionIndex;
    const ts = s.timeS;
    const vs = s.value;
    const ciView = new DataView(ci.buffer, ci.byteOffset, ci.byteLength);
    const diView = new DataView(di.buffer, di.byteOffset, di.byteLength);
    const tView = new DataView(ts.buffer, ts.byteOffset, ts.byteLength);
    const vView = new DataView(vs.buffer, vs.byteOffset, vs.byteLength);
    const rows = Math.min(s.rows, ci.byteLength >> 2, di.byteLength >> 2, ts.byteLength >> 2, vs.byteLength >> 3);
    for (let i = 0; i < rows; i++) {
      const chart = charts[ciView.getUint32(i * 4, true)];
      if (!chart) continue;
      this.engine.addPoint(chart, diView.getUint32(i * 4, true), tView.getUint32(i * 4, true), vView.getFloat64(i * 8, true));
    }
  }

  private async drainBackfills(): Promise<void> {
    if (this.backfilling) return;
    this.backfilling = true;
    try {
      while (this.backfillQueue.length && !this.stopped) {
        const chart = this.backfillQueue.shift() as ChartRuntime;
        try {
          const res = await this.query(chart);
          this.applyBackfill(chart, res);
        } catch (e) {
          this.logger.warn(`backfill of ${chart.host.hostname}/${chart.id} failed: ${(e as Error).message}`);
        }
      }
    } finally {
      this.backfilling = false;
    }
  }

  private query(chart: ChartRuntime): Promise<QueryResponse> {
    return new Promise((resolve, reject) => {
      this.client.query(
        {
          host: chart.host.guid,
          chart: chart.id,
          after: -chart.neededSeconds,
          before: 0,
          points: 0,
          group: 'none',
          dimensions: [],
          groupTime: 0,
          guidOnly: true,
        },
        new Metadata(),
        { deadline: Date.now() + 10000 },
        (err, res) => (err ? reject(new Error(err.details || err.message)) : resolve(res)),
      );
    });
  }

  private applyBackfill(chart: ChartRuntime, res: QueryResponse): void {
    const rows = res.rows;
    const nd = res.dimensionIds.length;
    if (!rows || !nd) return;
    const tView = new DataView(res.timeS.buffer, res.timeS.byteOffset, res.timeS.byteLength);
    const vView = new DataView(res.values.buffer, res.values.byteOffset, res.values.byteLength);
    const times: number[] = [];
    for (let r = 0; r < rows; r++) times.push(tView.getUint32(r * 4, true));
    for (let d = 0; d < nd; d++) {
      const dim = chart.dimension(res.dimensionIds[d]);
      if (!dim?.ring) continue;
      const values: number[] = [];
      for (let r = 0; r < rows; r++) values.push(vView.getFloat64((r * nd + d) * 8, true));
      dim.ring.prepend(times, values);
      for (let r = rows - 1; r >= 0; r--) {
        if (values[r] === values[r] && times[r] > dim.lastCollectedT) {
          dim.lastCollectedT = times[r];
          dim.lastValue = values[r];
          break;
        }
      }
      if (dim.lastCollectedT > chart.lastCollectedT) chart.lastCollectedT = dim.lastCollectedT;
    }
  }
}
