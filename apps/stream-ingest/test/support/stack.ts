import { credentials, Metadata } from '@grpc/grpc-js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ListChartsResponse, ListHostsResponse, MetricStoreClient, QueryRequest, QueryResponse, StoreStatus, StreamIngestClient, StreamStatusResponse,
} from '@tributary/protocol';
import { createTestDatabase, freePort, startApp, type RunningApp, type TestDatabase } from '@tributary/testing';

export const LAB = '/tmp/netdata-lab-stream-ingest';

/** Real metric-store (on a fresh PostgreSQL database) and real stream-ingest processes, as deployed. */
export class Stack {
  apps: RunningApp[] = [];
  db!: TestDatabase;
  dir = '';
  publicPort = 0;
  store!: MetricStoreClient;
  ingest!: StreamIngestClient;
  private ingestEnv: Record<string, string> = {};
  private storeEnv: Record<string, string> = {};
  private storeHealth = 0;

  /** Stops metric-store (SIGTERM), waits, starts it again on the same database and port. */
  async restartStore(downMs: number): Promise<void> {
    await this.apps[0].stop();
    await new Promise((r) => setTimeout(r, downMs));
    this.apps[0] = await startApp('metric-store', this.storeEnv, { healthPort: this.storeHealth });
  }
  private ingestHealth = 0;
  /** Output of stream-ingest processes that were stopped by restartIngest. */
  previousIngestOutput = '';

  /** Stops stream-ingest (SIGTERM), waits, starts it again with the same configuration. */
  async restartIngest(downMs: number): Promise<void> {
    this.previousIngestOutput += this.apps[1].output();
    await this.apps[1].stop();
    await new Promise((r) => setTimeout(r, downMs));
    this.apps[1] = await startApp('stream-ingest', this.ingestEnv, { healthPort: this.ingestHealth });
  }

  static async start(prefix: string, netdataConf: (publicPort: number, dir: string) => string, streamConf: string): Promise<Stack> {
    const s = new Stack();
    s.db = await createTestDatabase(prefix);
    s.dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    const [publicPort, storeGrpc, storeHealth, ingestGrpc, ingestHealth] = await Promise.all(Array.from({ length: 5 }, () => freePort()));
    s.publicPort = publicPort;
    writeFileSync(join(s.dir, 'netdata.conf'), netdataConf(publicPort, s.dir));
    writeFileSync(join(s.dir, 'stream.conf'), streamConf);
    const common = {
      TRIBUTARY_CONFIG_DIR: s.dir,
      TRIBUTARY_DATA_DIR: s.dir,
      DATABASE_URL: s.db.url,
      METRIC_STORE_ADDR: `127.0.0.1:${storeGrpc}`,
      WEB_API_URL: 'http://127.0.0.1:1',
      TRIBUTARY_PORT: String(publicPort),
    };
    s.storeEnv = { ...common, GRPC_LISTEN: `127.0.0.1:${storeGrpc}`, HEALTH_PORT: String(storeHealth) };
    s.storeHealth = storeHealth;
    s.apps.push(await startApp('metric-store', s.storeEnv, { healthPort: storeHealth }));
    s.ingestEnv = { ...common, GRPC_LISTEN: `127.0.0.1:${ingestGrpc}`, HEALTH_PORT: String(ingestHealth) };
    s.ingestHealth = ingestHealth;
    s.apps.push(await startApp('stream-ingest', s.ingestEnv, { healthPort: ingestHealth }));
    s.store = new MetricStoreClient(`127.0.0.1:${storeGrpc}`, credentials.createInsecure());
    s.ingest = new StreamIngestClient(`127.0.0.1:${ingestGrpc}`, credentials.createInsecure());
    return s;
  }

  get ingestApp(): RunningApp {
    return this.apps[1];
  }

  logs(): string {
    return this.apps.map((a) => `----- ${a.name}\n${a.output().slice(-3000)}`).join('\n');
  }

  async stop(): Promise<void> {
    this.store?.close();
    this.ingest?.close();
    for (const a of [...this.apps].reverse()) await a.stop().catch(() => undefined);
    await this.db?.drop().catch(() => undefined);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  listHosts(): Promise<ListHostsResponse> {
    return new Promise((res, rej) => this.store.listHosts({}, (e, r) => (e ? rej(e) : res(r))));
  }

  listCharts(host: string): Promise<ListChartsResponse> {
    return new Promise((res, rej) => this.store.listCharts({ host, chart: '', guidOnly: false }, (e, r) => (e ? rej(e) : res(r))));
  }

  query(q: Partial<QueryRequest>): Promise<QueryResponse> {
    const req: QueryRequest = { host: '', chart: '', after: -60, before: 0, points: 0, group: 'average', dimensions: [], groupTime: 0, guidOnly: false, ...q };
    return new Promise((res, rej) => this.store.query(req, (e, r) => (e ? rej(e) : res(r))));
  }

  storeStatus(): Promise<StoreStatus> {
    return new Promise((res, rej) => this.store.getStatus({}, (e, r) => (e ? rej(e) : res(r))));
  }

  status(): Promise<StreamStatusResponse> {
    return new Promise((res, rej) => this.ingest.getStreamStatus({}, new Metadata(), (e, r) => (e ? rej(e) : res(r))));
  }
}

/** A query answer as time -> value for one dimension. */
export function series(r: QueryResponse, dim: string): Map<number, number> {
  const k = r.dimensionIds.indexOf(dim);
  const out = new Map<number, number>();
  if (k < 0) return out;
  const t = Buffer.from(r.timeS);
  const v = Buffer.from(r.values);
  const nd = r.dimensionIds.length;
  for (let i = 0; i < r.rows; i++) {
    const val = v.readDoubleLE((i * nd + k) * 8);
    if (!Number.isNaN(val)) out.set(t.readUInt32LE(i * 4), val);
  }
  return out;
}

/** The child's own stored values (its API, --web-port): time -> value. */
export async function childSeries(webPort: number, chart: string, dim: string, after = -120): Promise<Map<number, number>> {
  const url = `http://127.0.0.1:${webPort}/api/v1/data?chart=${chart}&dimensions=${encodeURIComponent(dim)}&after=${after}&before=0&points=0&group=average&format=json&options=seconds|unaligned`;
  const j = (await (await fetch(url)).json()) as { data: [number, number | null][] };
  const out = new Map<number, number>();
  for (const [t, v] of j.data) if (v !== null) out.set(t, v);
  return out;
}

export async function childCharts(webPort: number): Promise<Map<string, string[]>> {
  const j = (await (await fetch(`http://127.0.0.1:${webPort}/api/v1/charts`)).json()) as {
    charts: Record<string, { id: string; dimensions: Record<string, { name: string }> }>;
  };
  const out = new Map<string, string[]>();
  for (const c of Object.values(j.charts)) out.set(c.id, Object.keys(c.dimensions));
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
