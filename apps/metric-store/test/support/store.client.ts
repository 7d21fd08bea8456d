import { credentials, Metadata, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import {
  MetricStoreClient,
  WRITER_ID_METADATA,
  type ChartDef,
  type HostInfo,
  type ListChartsResponse,
  type ListHostsResponse,
  type StoreStatus,
  type QueryRequest,
  type QueryResponse,
  type SampleColumns,
  type WriteAck,
  type WriteBatch,
} from '@tributary/protocol';

export function storeClient(port: number): MetricStoreClient {
  return new MetricStoreClient(`127.0.0.1:${port}`, credentials.createInsecure());
}

function done<T>(resolve: (v: T) => void, reject: (e: ServiceError) => void) {
  return (err: ServiceError | null, res: T) => (err ? reject(err) : resolve(res));
}

/** Promisified unary calls of the raw grpc-js client. */
export const api = {
  query: (c: MetricStoreClient, req: QueryRequest) => new Promise<QueryResponse>((res, rej) => c.query(req, done(res, rej))),
  listHosts: (c: MetricStoreClient) => new Promise<ListHostsResponse>((res, rej) => c.listHosts({}, done(res, rej))),
  listCharts: (c: MetricStoreClient, hostKey: string, chartKey = '', guidOnly = false) =>
    new Promise<ListChartsResponse>((res, rej) => c.listCharts({ host: hostKey, chart: chartKey, guidOnly }, done(res, rej))),
  status: (c: MetricStoreClient) => new Promise<StoreStatus>((res, rej) => c.getStatus({}, done(res, rej))),
};

/** A Write call that resolves each batch with its ack (acks come back in order). */
export class Writer {
  private readonly call: ClientDuplexStream<WriteBatch, WriteAck>;
  private readonly waiting: { resolve: (a: WriteAck) => void; reject: (e: Error) => void }[] = [];
  private nextId = 1;
  private failed: Error | undefined;
  readonly ended: Promise<void>;

  /** @param writerId sent as `tributary-writer-id`: the store then skips batch ids of this writer it applied before */
  constructor(client: MetricStoreClient, writerId?: string) {
    const md = new Metadata();
    if (writerId) md.set(WRITER_ID_METADATA, writerId);
    this.call = client.write(md);
    this.call.on('data', (ack: WriteAck) => this.waiting.shift()?.resolve(ack));
    this.ended = new Promise((resolve) => {
      this.call.on('error', (e: Error) => {
        this.failed = e;
        for (const w of this.waiting.splice(0)) w.reject(e);
        resolve();
      });
      this.call.on('end', () => resolve());
    });
  }

  send(batch: Partial<WriteBatch>): Promise<WriteAck> {
    if (this.failed) return Promise.reject(this.failed);
    const full: WriteBatch = {
      batchId: this.nextId++,
      hosts: [],
      charts: [],
      states: [],
      variables: [],
      samples: [],
      deletedCharts: [],
      settledBelow: 0,
      ...batch,
    };
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.call.write(full);
    });
  }

  /** Sends without waiting for the ack, honouring the stream's backpressure. */
  async sendNoWait(batch: WriteBatch): Promise<Promise<WriteAck>> {
    const p = new Promise<WriteAck>((resolve, reject) => this.waiting.push({ resolve, reject }));
    if (!this.call.write(batch)) await new Promise((r) => this.call.once('drain', r));
    return p;
  }

  close(): Promise<void> {
    this.call.end();
    return this.ended;
  }
}

export function host(guid: string, hostname: string, extra: Partial<HostInfo> = {}): HostInfo {
  return {
    machineGuid: guid,
    hostname,
    registryHostname: hostname,
    os: 'linux',
    timezone: 'UTC',
    abbrevTimezone: 'UTC',
    utcOffset: 0,
    hops: 1,
    programName: 'netdata',
    programVersion: 'v1.37.1',
    updateEvery: 1,
    tags: '',
    systemInfo: { NETDATA_HOST_OS_NAME: 'Debian' },
    labels: { _os_name: 'Debian' },
    claimId: '',
    memoryMode: 'dbengine',
    historySeconds: 3600,
    healthEnabled: 'auto',
    ...extra,
  };
}

export function chart(id: string, dims: string[], extra: Partial<ChartDef> = {}): ChartDef {
  return {
    id,
    name: id,
    title: `${id} title`,
    units: 'units',
    family: 'family',
    context: id,
    chartType: 'line',
    priority: 1000,
    updateEvery: 1,
    options: '',
    plugin: 'test.plugin',
    module: '',
    dimensions: dims.map((d) => ({ id: d, name: `${d}_name`, algorithm: 'absolute', multiplier: 1, divisor: 1, options: '' })),
    labels: { source: 'test' },
    firstEntryS: 0,
    lastEntryS: 0,
    ...extra,
  };
}

export interface Row {
  chart: number;
  dim: number;
  t: number;
  v: number;
  flags?: number;
  /** the raw collected value (live path only); no row with one: the column is left empty */
  raw?: number;
}

export function columns(machineGuid: string, rows: Row[]): SampleColumns {
  const n = rows.length;
  const ci = new Uint32Array(n);
  const di = new Uint32Array(n);
  const ts = new Uint32Array(n);
  const vs = new Float64Array(n);
  const fl = new Uint8Array(n);
  const raw = new Float64Array(rows.some((r) => r.raw !== undefined) ? n : 0);
  rows.forEach((r, i) => {
    if (raw.length > 0) raw[i] = r.raw ?? NaN;
    ci[i] = r.chart;
    di[i] = r.dim;
    ts[i] = r.t;
    vs[i] = r.v;
    fl[i] = r.flags ?? 0;
  });
  return {
    machineGuid,
    rows: n,
    chartIndex: Buffer.from(ci.buffer),
    dimensionIndex: Buffer.from(di.buffer),
    timeS: Buffer.from(ts.buffer),
    value: Buffer.from(vs.buffer),
    flags: Buffer.from(fl.buffer),
    collected: Buffer.from(raw.buffer),
  };
}

/** Decodes a QueryResponse into rows of [time, ...values]. */
export function table(r: QueryResponse): number[][] {
  const t = new Uint32Array(r.timeS.buffer.slice(r.timeS.byteOffset, r.timeS.byteOffset + r.timeS.length));
  const v = new Float64Array(r.values.buffer.slice(r.values.byteOffset, r.values.byteOffset + r.values.length));
  const cols = r.dimensionIds.length;
  const out: number[][] = [];
  for (let i = 0; i < r.rows; i++) out.push([t[i], ...Array.from(v.subarray(i * cols, (i + 1) * cols))]);
  return out;
}

export function query(partial: Partial<QueryRequest>): QueryRequest {
  return { host: '', chart: '', after: 0, before: 0, points: 0, group: '', dimensions: [], groupTime: 0, guidOnly: false, ...partial };
}
