import { ClientDuplexStream, credentials, Metadata } from '@grpc/grpc-js';
import {
  ChartDef, ChartUpsert, HostInfo, HostState, ListChartsResponse, MetricStoreClient, QueryRequest, QueryResponse, SampleColumns, Variable,
  WriteAck, WriteBatch,
} from '@tributary/protocol';
import { BYTES_PER_ROW, ChannelOwner, HostChannel } from './host.channel';

export interface StoreWriterOptions {
  address: string;
  batchIntervalMs: number;
  batchRows: number;
  childBufferBytes: number;
  log: (msg: string) => void;
  warn: (msg: string) => void;
}

interface ChartEntry {
  index: number;
  guid: string;
  def: ChartDef;
}

interface Pending {
  batch: WriteBatch;
  /** per channel, the sample bytes this batch holds for it */
  bytes: Map<HostChannel, number>;
  rows: number;
}

const RECONNECT_MS = 1000;

/**
 * The single bidi MetricStore.Write call of this process. Points of every child are batched every interval (or
 * when enough rows wait); every batch stays held until its WriteAck, and after a reconnect the new call first
 * re-declares hosts and charts, then resends what was not acknowledged, in order.
 */
export class StoreWriter {
  private readonly client: MetricStoreClient;
  private call: ClientDuplexStream<WriteBatch, WriteAck> | undefined;
  private connected = false;
  private blocked = false;
  private nextBatchId = 1;
  private nextChartIndex = 1;
  private readonly charts = new Map<string, ChartEntry>();
  private readonly dirtyCharts = new Set<ChartEntry>();
  private readonly hosts = new Map<string, HostInfo>();
  private readonly dirtyHosts = new Set<string>();
  private states: HostState[] = [];
  private variables: Variable[] = [];
  private obsolete: string[] = [];
  private readonly channels = new Set<HostChannel>();
  private readonly pending = new Map<number, Pending>();
  private sendQueue: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private flushScheduled = false;
  private stopped = false;
  private warnedDown = false;
  rowsAcked = 0;
  batchesAcked = 0;

  constructor(private readonly opts: StoreWriterOptions) {
    this.client = new MetricStoreClient(opts.address, credentials.createInsecure(), {
      'grpc.max_send_message_length': 64 << 20,
      'grpc.max_receive_message_length': 64 << 20,
      // Held data waits for metric-store: retry often instead of grpc-js's default backoff of up to 2 minutes.
      'grpc.initial_reconnect_backoff_ms': 500,
      'grpc.max_reconnect_backoff_ms': 2000,
    });
  }

  start(): void {
    this.open();
    this.timer = setInterval(() => this.flush(), this.opts.batchIntervalMs);
  }

  get storeConnected(): boolean {
    return this.connected;
  }

  get heldBytes(): number {
    let n = 0;
    for (const c of this.channels) n += c.bufferedBytes;
    return n;
  }

  openChannel(guid: string, owner: ChannelOwner): HostChannel {
    const ch = new HostChannel(guid, this.opts.childBufferBytes, owner, (rows) => {
      if (rows >= this.opts.batchRows) this.scheduleFlush();
    });
    this.channels.add(ch);
    return ch;
  }

  closeChannel(ch: HostChannel): void {
    ch.closed = true;
    this.flush();
    // It stays known until its last batch is acknowledged so the byte accounting settles.
    if (ch.unackedBytes === 0) this.channels.delete(ch);
  }

  upsertHost(info: HostInfo): void {
    this.hosts.set(info.machineGuid, info);
    this.dirtyHosts.add(info.machineGuid);
  }

  hostState(state: HostState): void {
    this.states.push(state);
  }

  variable(v: Variable): void {
    this.variables.push(v);
  }

  /** Stable index of a host's chart for the life of the process (re-declared on every new call). */
  chartIndex(guid: string, def: ChartDef): number {
    const key = `${guid}/${def.id}`;
    let e = this.charts.get(key);
    if (!e) {
      e = { index: this.nextChartIndex++, guid, def };
      this.charts.set(key, e);
    } else e.def = def;
    this.dirtyCharts.add(e);
    return e.index;
  }

  /** A chart the child re-declared with the `obsolete` option. */
  chartObsolete(guid: string, chartId: string): void {
    this.obsolete.push(`${guid}/${chartId}`);
  }

  chartChanged(guid: string, chartId: string): void {
    const e = this.charts.get(`${guid}/${chartId}`);
    if (e) this.dirtyCharts.add(e);
  }

  /** The store's view of a host's charts (last stored times for replication); undefined when unreachable. */
  listCharts(guid: string, timeoutMs: number): Promise<ListChartsResponse | undefined> {
    return new Promise((resolve) => {
      this.client.listCharts({ host: guid, chart: '' }, new Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => resolve(err ? undefined : res));
    });
  }

  /** A range query (proxy mode answers the next parent's replication requests with it). */
  query(req: QueryRequest, timeoutMs: number): Promise<QueryResponse> {
    return new Promise((resolve, reject) => {
      this.client.query(req, new Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res)));
    });
  }

  scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  flush(): void {
    const samples: SampleColumns[] = [];
    const bytes = new Map<HostChannel, number>();
    let rows = 0;
    for (const ch of this.channels) {
      const cols = ch.take();
      if (!cols) continue;
      samples.push(cols);
      bytes.set(ch, cols.rows * BYTES_PER_ROW);
      rows += cols.rows;
    }
    if (!samples.length && !this.dirtyHosts.size && !this.dirtyCharts.size && !this.states.length && !this.variables.length && !this.obsolete.length) return;
    const batch: WriteBatch = {
      batchId: this.nextBatchId++,
      hosts: [...this.dirtyHosts].map((g) => this.hosts.get(g)).filter((h): h is HostInfo => h !== undefined),
      charts: [...this.dirtyCharts].map((e) => this.upsert(e)),
      states: this.states,
      variables: this.variables,
      samples,
      deletedCharts: this.obsolete,
    };
    this.obsolete = [];
    this.dirtyHosts.clear();
    this.dirtyCharts.clear();
    this.states = [];
    this.variables = [];
    this.pending.set(batch.batchId, { batch, bytes, rows });
    this.sendQueue.push(batch.batchId);
    this.pump();
  }

  async stop(timeoutMs = 5000): Promise<void> {
    this.flush();
    const until = Date.now() + timeoutMs;
    while (this.pending.size && this.connected && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pending.size) this.opts.warn(`METRIC-STORE: ${this.pending.size} batches not acknowledged at shutdown`);
    this.call?.end();
    this.client.close();
  }

  private upsert(e: ChartEntry): ChartUpsert {
    return { machineGuid: e.guid, chartIndex: e.index, chart: e.def };
  }

  private pump(): void {
    const call = this.call;
    if (!call || !this.connected || this.blocked) return;
    while (this.sendQueue.length) {
      const id = this.sendQueue.shift() as number;
      const p = this.pending.get(id);
      if (!p) continue;
      if (!call.write(p.batch)) {
        this.blocked = true;
        call.once('drain', () => {
          this.blocked = false;
          this.pump();
        });
        return;
      }
    }
  }

  private open(): void {
    if (this.stopped) return;
    this.client.waitForReady(Date.now() + 3 * RECONNECT_MS, (err) => {
      if (this.stopped) return;
      if (err) {
        if (!this.warnedDown) this.opts.warn(`METRIC-STORE: cannot reach ${this.opts.address}, holding data and retrying`);
        this.warnedDown = true;
        this.reconnectTimer = setTimeout(() => this.open(), RECONNECT_MS);
        return;
      }
      this.warnedDown = false;
      this.startCall();
    });
  }

  private startCall(): void {
    const call = this.client.write();
    this.call = call;
    this.blocked = false;
    this.connected = true;
    this.opts.log(`METRIC-STORE: connected to ${this.opts.address}, resending ${this.pending.size} held batches`);
    // Chart indexes are scoped to the call: declare every host and chart again before any held samples.
    const preamble: WriteBatch = {
      batchId: this.nextBatchId++,
      hosts: [...this.hosts.values()],
      charts: [...this.charts.values()].map((e) => this.upsert(e)),
      states: [],
      variables: [],
      samples: [],
      deletedCharts: [],
    };
    const held = [...this.pending.keys()].sort((a, b) => a - b);
    this.pending.set(preamble.batchId, { batch: preamble, bytes: new Map(), rows: 0 });
    this.sendQueue = [preamble.batchId, ...held];
    call.on('data', (ack: WriteAck) => this.onAck(ack));
    // grpc-js ends a call with 'status' (and 'error' when not OK); either way this call is over.
    const ended = () => {
      if (this.call !== call) return;
      this.connected = false;
      this.call = undefined;
      if (!this.stopped) this.reconnectTimer = setTimeout(() => this.open(), RECONNECT_MS);
    };
    call.on('error', (e: Error) => {
      if (!this.stopped) this.opts.warn(`METRIC-STORE: write stream to ${this.opts.address} failed: ${e.message}`);
      ended();
    });
    call.on('status', ended);
    call.on('close', ended);
    this.pump();
  }

  private onAck(ack: WriteAck): void {
    const p = this.pending.get(ack.batchId);
    if (!p) return;
    if (ack.error) {
      this.opts.warn(`METRIC-STORE: batch ${ack.batchId} rejected (${ack.error}); holding it and reconnecting`);
      this.call?.cancel();
      return;
    }
    this.pending.delete(ack.batchId);
    this.rowsAcked += p.rows;
    this.batchesAcked++;
    for (const [ch, b] of p.bytes) {
      ch.acknowledged(b);
      if (ch.closed && ch.unackedBytes === 0) this.channels.delete(ch);
    }
  }
}
