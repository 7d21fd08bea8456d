import { randomUUID } from 'node:crypto';
import { ClientDuplexStream, credentials, Metadata } from '@grpc/grpc-js';
import {
  ChartDef, ChartUpsert, HostInfo, HostState, ListChartsResponse, MetricStoreClient, QueryRequest, QueryResponse, SampleColumns, Variable,
  WRITER_ID_METADATA, WriteAck, WriteBatch,
} from '@tributary/protocol';
import { PROMPT_RECONNECT_OPTIONS } from '@tributary/runtime';
import { BYTES_PER_ROW, ChannelOwner, HostChannel, QueuedRows } from './host.channel';

export interface StoreWriterOptions {
  address: string;
  batchIntervalMs: number;
  /** the read path cuts a batch as soon as this many rows wait (the timer cuts what is left every interval) */
  batchRows: number;
  /** no batch is larger than this: far below gRPC's message limit, small enough to apply in one short turn */
  batchMaxBytes: number;
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
  /** the channel of each of `batch.samples`, whose bytes the ack releases */
  channels: HostChannel[];
  rows: number;
  /** place in the send order: the parts of a batch split after a refusal keep the batch's place */
  order: number;
  /** a call's re-declaration of every host and chart: never resent, the next call declares anew */
  preamble: boolean;
}

const RECONNECT_MS = 1000;
/** Room a chart upsert takes in a batch, estimated on the high side (its definition, then each dimension's). */
const CHART_BYTES = 512;
const DIMENSION_BYTES = 160;

/**
 * The single bidi MetricStore.Write call of this process. Points of every child are batched every interval, or as
 * soon as enough rows wait; no batch exceeds `batchMaxBytes`. Every batch stays held until its WriteAck, and after a
 * reconnect the new call first re-declares hosts and charts, then resends what was not acknowledged, in order.
 * metric-store knows this writer by id and acknowledges a resent batch it had applied without applying it again.
 * A batch refused as bad is split into its parts, each sent alone; a part refused again is dropped with a log line,
 * so one bad batch can never hold back everything behind it.
 */
export class StoreWriter {
  private readonly client: MetricStoreClient;
  private readonly writerId = randomUUID();
  private call: ClientDuplexStream<WriteBatch, WriteAck> | undefined;
  private connected = false;
  private blocked = false;
  private nextBatchId = 1;
  private nextChartIndex = 1;
  private readonly charts = new Map<string, ChartEntry>();
  /** keys of `charts` per host, so that a host that is gone is forgotten without a scan */
  private readonly chartsOfHost = new Map<string, Set<string>>();
  private readonly dirtyCharts = new Set<ChartEntry>();
  private readonly hosts = new Map<string, HostInfo>();
  private readonly dirtyHosts = new Set<string>();
  private states: HostState[] = [];
  private variables: Variable[] = [];
  private obsolete: string[] = [];
  private readonly channels = new Set<HostChannel>();
  private readonly queued: QueuedRows = { rows: 0 };
  private readonly pending = new Map<number, Pending>();
  private sendQueue: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private warnedDown = false;
  /** where the next flush starts among the channels, so that none always goes last */
  private firstChannel = 0;
  private retryWarnedMs = 0;
  rowsAcked = 0;
  batchesAcked = 0;
  /** batches metric-store had applied already when they were resent */
  duplicateAcks = 0;
  /** refusals of a batch that was bad in itself (each logged) */
  batchesRefused = 0;
  /** points of batch parts refused twice as bad, given up (each logged) */
  rowsDropped = 0;

  constructor(private readonly opts: StoreWriterOptions) {
    this.client = new MetricStoreClient(opts.address, credentials.createInsecure(), {
      'grpc.max_send_message_length': 64 << 20,
      'grpc.max_receive_message_length': 64 << 20,
      // Held data waits for metric-store: retry often instead of grpc-js's default backoff of up to 2 minutes.
      ...PROMPT_RECONNECT_OPTIONS,
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

  /** Batches sent or waiting to be sent, not yet acknowledged. */
  get pendingBatches(): number {
    return this.pending.size;
  }

  openChannel(guid: string, owner: ChannelOwner): HostChannel {
    const ch = new HostChannel(guid, this.opts.childBufferBytes, owner, this.queued);
    this.channels.add(ch);
    return ch;
  }

  closeChannel(ch: HostChannel): void {
    ch.closed = true;
    this.flush();
    // It stays known until its last batch is acknowledged so the byte accounting settles.
    if (ch.unackedBytes === 0) this.release(ch);
  }

  /** Hosts and charts re-declared on every new call: the connected ones and those with data not yet acknowledged. */
  get declaredHosts(): number {
    return this.hosts.size;
  }

  get declaredCharts(): number {
    return this.charts.size;
  }

  private release(ch: HostChannel): void {
    this.channels.delete(ch);
    for (const c of this.channels) if (c.machineGuid === ch.machineGuid) return;
    // Nothing of this host is connected or held: metric-store has its definitions, and a child that comes back
    // declares them again. Keeping it would make every reconnect preamble grow with every child ever seen.
    this.hosts.delete(ch.machineGuid);
    for (const key of this.chartsOfHost.get(ch.machineGuid) ?? []) this.charts.delete(key);
    this.chartsOfHost.delete(ch.machineGuid);
  }

  /** Called by the read path after each chunk it parsed: cuts a batch once enough rows wait. */
  afterRead(): void {
    if (this.queued.rows >= this.opts.batchRows) this.flush();
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
      let keys = this.chartsOfHost.get(guid);
      if (!keys) this.chartsOfHost.set(guid, (keys = new Set()));
      keys.add(key);
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
      this.client.listCharts({ host: guid, chart: '', guidOnly: true }, new Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => resolve(err ? undefined : res));
    });
  }

  /** A range query (proxy mode answers the next parent's replication requests with it). */
  query(req: QueryRequest, timeoutMs: number): Promise<QueryResponse> {
    return new Promise((resolve, reject) => {
      this.client.query(req, new Metadata(), { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res)));
    });
  }

  /**
   * Cuts what waits into batches of at most `batchMaxBytes`: definitions first (samples may only use chart indexes
   * declared before them on the call), then the channels' rows, starting each flush at another channel.
   */
  flush(): void {
    const charts = [...this.dirtyCharts].map((e) => this.upsert(e));
    this.dirtyCharts.clear();
    const hosts = [...this.dirtyHosts].map((g) => this.hosts.get(g)).filter((h): h is HostInfo => h !== undefined);
    this.dirtyHosts.clear();
    if (hosts.length || charts.length || this.states.length || this.variables.length || this.obsolete.length) {
      const parts = this.chunkCharts(charts);
      const first = parts[0];
      first.hosts = hosts;
      first.states = this.states;
      first.variables = this.variables;
      first.deletedCharts = this.obsolete;
      this.states = [];
      this.variables = [];
      this.obsolete = [];
      for (const b of parts) this.enqueue(b, [], 0, false);
    }
    if (this.queued.rows === 0) return;
    const maxRows = Math.max(1, Math.floor(this.opts.batchMaxBytes / BYTES_PER_ROW));
    const list = [...this.channels];
    const start = this.firstChannel++ % list.length;
    let samples: SampleColumns[] = [];
    let owners: HostChannel[] = [];
    let rows = 0;
    for (let k = 0; k < list.length; k++) {
      const ch = list[(start + k) % list.length];
      while (ch.rows > 0) {
        const cols = ch.take(maxRows - rows) as SampleColumns;
        samples.push(cols);
        owners.push(ch);
        rows += cols.rows;
        if (rows >= maxRows) {
          this.enqueue(emptyBatch(samples), owners, rows, false);
          samples = [];
          owners = [];
          rows = 0;
        }
      }
    }
    if (rows > 0) this.enqueue(emptyBatch(samples), owners, rows, false);
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

  /** Chart upserts spread over as many batches as `batchMaxBytes` needs (at least one, maybe empty). */
  private chunkCharts(charts: ChartUpsert[]): WriteBatch[] {
    const out = [emptyBatch([])];
    let room = this.opts.batchMaxBytes;
    for (const c of charts) {
      const size = CHART_BYTES + DIMENSION_BYTES * (c.chart?.dimensions.length ?? 0);
      if (size > room && out[out.length - 1].charts.length > 0) {
        out.push(emptyBatch([]));
        room = this.opts.batchMaxBytes;
      }
      out[out.length - 1].charts.push(c);
      room -= size;
    }
    return out;
  }

  private enqueue(batch: WriteBatch, channels: HostChannel[], rows: number, preamble: boolean, order?: number): number {
    const id = this.nextBatchId++;
    batch.batchId = id;
    this.pending.set(id, { batch, channels, rows, order: order ?? id, preamble });
    if (!preamble) {
      this.sendQueue.push(id);
      this.pump();
    }
    return id;
  }

  /** The smallest batch id still held: every id below it is settled and will never be sent again. */
  private settledBelow(): number {
    let low = this.nextBatchId;
    for (const id of this.pending.keys()) if (id < low) low = id;
    return low;
  }

  private pump(): void {
    const call = this.call;
    if (!call || !this.connected || this.blocked) return;
    while (this.sendQueue.length) {
      const id = this.sendQueue.shift() as number;
      const p = this.pending.get(id);
      if (!p) continue;
      p.batch.settledBelow = this.settledBelow();
      if (!call.write(p.batch)) {
        this.blocked = true;
        call.once('drain', () => {
          if (this.call !== call) return;
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
    const md = new Metadata();
    md.set(WRITER_ID_METADATA, this.writerId);
    const call = this.client.write(md);
    this.call = call;
    this.blocked = false;
    this.connected = true;
    // The last call's declarations die with it; chart indexes are scoped to the call, so declare everything again
    // before any held samples.
    for (const [id, p] of this.pending) if (p.preamble) this.pending.delete(id);
    const held = [...this.pending.entries()].sort(([ia, a], [ib, b]) => a.order - b.order || ia - ib).map(([id]) => id);
    this.opts.log(`METRIC-STORE: connected to ${this.opts.address}, resending ${held.length} held batches`);
    const parts = this.chunkCharts([...this.charts.values()].map((e) => this.upsert(e)));
    parts[0].hosts = [...this.hosts.values()];
    const preamble = parts.map((b) => this.enqueue(b, [], 0, true));
    this.sendQueue = [...preamble, ...held];
    call.on('data', (ack: WriteAck) => {
      if (this.call === call) this.onAck(ack);
    });
    // grpc-js ends a call with 'status' (and 'error' when not OK); either way this call is over.
    call.on('error', (e: Error) => {
      if (this.call === call && !this.stopped) this.opts.warn(`METRIC-STORE: write stream to ${this.opts.address} failed: ${e.message}`);
      this.endCall(call);
    });
    call.on('status', () => this.endCall(call));
    call.on('close', () => this.endCall(call));
    this.pump();
  }

  /** This call is over (ended, failed or given up after a refusal): reconnect, and resend what is held. */
  private endCall(call: ClientDuplexStream<WriteBatch, WriteAck>): void {
    if (this.call !== call) return;
    this.connected = false;
    this.call = undefined;
    call.cancel();
    if (!this.stopped) this.reconnectTimer = setTimeout(() => this.open(), RECONNECT_MS);
  }

  private onAck(ack: WriteAck): void {
    const p = this.pending.get(ack.batchId);
    if (!p) return;
    if (ack.error) {
      // metric-store refuses the rest of this call after a refusal: start a new one, resending in order.
      if (this.call) this.endCall(this.call);
      this.refused(ack.batchId, p, ack);
      return;
    }
    if (ack.duplicate) this.duplicateAcks++;
    this.settle(ack.batchId, p);
    this.rowsAcked += p.rows;
    this.batchesAcked++;
  }

  private refused(id: number, p: Pending, ack: WriteAck): void {
    if (ack.retryable) {
      // A full store refuses every second until it has room: one line now and then says so.
      const now = Date.now();
      if (now - this.retryWarnedMs > 30_000) {
        this.retryWarnedMs = now;
        this.opts.warn(`METRIC-STORE: batch ${id} refused for now (${ack.error}); holding it and sending it again`);
      }
      return;
    }
    this.batchesRefused++;
    const parts = splitBatch(p);
    if (parts.length > 1) {
      this.opts.warn(`METRIC-STORE: batch ${id} refused (${ack.error}); sending its ${parts.length} parts alone`);
      this.pending.delete(id);
      for (const part of parts) this.enqueue(part.batch, part.channels, part.rows, false, p.order);
      return;
    }
    const hosts = [...new Set(p.batch.samples.map((c) => c.machineGuid))].join(', ') || 'definitions only';
    this.opts.warn(`METRIC-STORE: batch ${id} refused again on its own (${ack.error}); dropping its ${p.rows} points (${hosts})`);
    this.rowsDropped += p.rows;
    this.settle(id, p);
  }

  /** The batch is done with, acknowledged or given up: its bytes leave the children's buffers. */
  private settle(id: number, p: Pending): void {
    this.pending.delete(id);
    p.channels.forEach((ch, i) => {
      ch.acknowledged(p.batch.samples[i].rows * BYTES_PER_ROW);
      if (ch.closed && ch.unackedBytes === 0) this.release(ch);
    });
  }
}

function emptyBatch(samples: SampleColumns[]): WriteBatch {
  return { batchId: 0, hosts: [], charts: [], states: [], variables: [], samples, deletedCharts: [], settledBelow: 0 };
}

/** A refused batch as parts to send alone: its definitions and states, then each child's samples. */
function splitBatch(p: Pending): Pick<Pending, 'batch' | 'channels' | 'rows'>[] {
  const b = p.batch;
  const parts: Pick<Pending, 'batch' | 'channels' | 'rows'>[] = [];
  if (b.hosts.length || b.charts.length || b.states.length || b.variables.length || b.deletedCharts.length) {
    parts.push({ batch: { ...emptyBatch([]), hosts: b.hosts, charts: b.charts, states: b.states, variables: b.variables, deletedCharts: b.deletedCharts }, channels: [], rows: 0 });
  }
  b.samples.forEach((cols, i) => parts.push({ batch: emptyBatch([cols]), channels: [p.channels[i]], rows: cols.rows }));
  return parts;
}
