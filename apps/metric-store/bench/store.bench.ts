/**
 * npm run bench:store — metric-store as its own process on a real PostgreSQL:
 *   1. write throughput through gRPC (samples/s until every sample is acknowledged and every full page is in
 *      PostgreSQL, plus the final flush of the open pages at graceful shutdown),
 *   2. bytes per sample on disk (pg_total_relation_size of the pages table / points it holds),
 *   3. query latency p50/p99 for 1 hour x 100 dimensions.
 * The data are a real Netdata 1.37.1 child's stored values (fixtures/real-child.json.gz, every chart and dimension,
 * captured by capture-real-child.mjs), tiled to one hour. Env: DATABASE_URL (else an embedded PostgreSQL),
 * BENCH_HOSTS (children, default 2), BENCH_SECONDS (default 3600).
 */
import { credentials } from '@grpc/grpc-js';
import {
  MetricStoreClient,
  type ChartDef,
  type ChartUpsert,
  type HostInfo,
  type QueryRequest,
  type QueryResponse,
  type SampleColumns,
  type StoreStatus,
  type WriteAck,
  type WriteBatch,
} from '@tributary/protocol';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Client } from 'pg';
import { createBenchDatabase, freePort } from './bench.database';

interface FixtureDim {
  chart: string;
  dim: string;
  updateEvery: number;
  values: (number | null)[];
}

const HOSTS = Number(process.env['BENCH_HOSTS'] ?? 2);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3600);
const SECONDS_PER_BATCH = 16;
const IN_FLIGHT = 8;
const QUERIES = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function workspaceRoot(): string {
  return resolve(__dirname, '../../../../../..');
}

function loadFixture(): FixtureDim[] {
  const file = join(workspaceRoot(), 'apps/metric-store/bench/fixtures/real-child.json.gz');
  const data = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as { dimensions: FixtureDim[] };
  // One-second dimensions with data: the ones a child sends every second.
  return data.dimensions.filter((d) => d.updateEvery === 1 && d.values.length >= 60);
}

function hostInfo(i: number): HostInfo {
  const guid = `be0c0000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  return {
    machineGuid: guid,
    hostname: `bench-child-${i}`,
    registryHostname: `bench-child-${i}`,
    os: 'linux',
    timezone: 'UTC',
    abbrevTimezone: 'UTC',
    utcOffset: 0,
    hops: 1,
    programName: 'netdata',
    programVersion: 'v1.37.1',
    updateEvery: 1,
    tags: '',
    systemInfo: {},
    labels: {},
    claimId: '',
    memoryMode: 'dbengine',
    historySeconds: 2 * SECONDS + 600,
    healthEnabled: 'auto',
  };
}

function chartDef(id: string, dims: string[]): ChartDef {
  return {
    id,
    name: id,
    title: id,
    units: '',
    family: '',
    context: id,
    chartType: 'line',
    priority: 1,
    updateEvery: 1,
    options: '',
    plugin: '',
    module: '',
    dimensions: dims.map((d) => ({ id: d, name: d, algorithm: 'absolute', multiplier: 1, divisor: 1, options: '' })),
    labels: {},
    firstEntryS: 0,
    lastEntryS: 0,
  };
}

interface Series {
  chartIndex: number;
  dimIndex: number;
  values: Float64Array;
}

/** Charts of the fixture plus `bench.hundred`: 100 real dimensions in one chart, the query benchmark's target. */
function topology(fixture: FixtureDim[]): { charts: ChartDef[]; series: Series[] } {
  const byChart = new Map<string, FixtureDim[]>();
  for (const d of fixture) {
    const list = byChart.get(d.chart) ?? [];
    list.push(d);
    byChart.set(d.chart, list);
  }
  const charts: ChartDef[] = [];
  const series: Series[] = [];
  const tile = (v: (number | null)[]) => {
    const out = new Float64Array(SECONDS);
    for (let i = 0; i < SECONDS; i++) {
      const x = v[i % v.length];
      out[i] = x === null ? NaN : x;
    }
    return out;
  };
  for (const [id, dims] of byChart) {
    const ci = charts.length;
    charts.push(chartDef(id, dims.map((d) => d.dim)));
    dims.forEach((d, di) => series.push({ chartIndex: ci, dimIndex: di, values: tile(d.values) }));
  }
  const hundred = fixture.slice(0, 100);
  const ci = charts.length;
  charts.push(chartDef('bench.hundred', hundred.map((_, i) => `d${i}`)));
  hundred.forEach((d, di) => series.push({ chartIndex: ci, dimIndex: di, values: tile(d.values) }));
  return { charts, series };
}

function batches(guid: string, series: Series[], t0: number): SampleColumns[] {
  const out: SampleColumns[] = [];
  for (let s = 0; s < SECONDS; s += SECONDS_PER_BATCH) {
    const secs = Math.min(SECONDS_PER_BATCH, SECONDS - s);
    const n = secs * series.length;
    const ci = new Uint32Array(n);
    const di = new Uint32Array(n);
    const ts = new Uint32Array(n);
    const vs = new Float64Array(n);
    let r = 0;
    for (let k = 0; k < secs; k++) {
      for (const se of series) {
        ci[r] = se.chartIndex;
        di[r] = se.dimIndex;
        ts[r] = t0 + s + k;
        vs[r++] = se.values[s + k];
      }
    }
    out.push({
      machineGuid: guid,
      rows: n,
      chartIndex: Buffer.from(ci.buffer),
      dimensionIndex: Buffer.from(di.buffer),
      timeS: Buffer.from(ts.buffer),
      value: Buffer.from(vs.buffer),
      flags: Buffer.alloc(0),
      collected: Buffer.alloc(0),
    });
  }
  return out;
}

function status(c: MetricStoreClient): Promise<StoreStatus> {
  return new Promise((res, rej) => c.getStatus({}, (e, r) => (e ? rej(e) : res(r))));
}

function query(c: MetricStoreClient, req: QueryRequest): Promise<QueryResponse> {
  return new Promise((res, rej) => c.query(req, (e, r) => (e ? rej(e) : res(r))));
}

async function main(): Promise<void> {
  const root = workspaceRoot();
  const fixture = loadFixture();
  const { charts, series } = topology(fixture);
  const database = await createBenchDatabase('bench_store');
  const dir = database.dir;
  const dbUrl = database.url;

  const grpcPort = await freePort();
  const healthPort = await freePort();
  // BENCH_STORE_NODE_ARGS: extra node flags for the store process (e.g. --cpu-prof).
  const nodeArgs = (process.env['BENCH_STORE_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'dist/apps/metric-store/apps/metric-store/src/main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      TRIBUTARY_DATA_DIR: join(dir, 'data'),
      TRIBUTARY_CONFIG_DIR: join(dir, 'config'),
      GRPC_LISTEN: `127.0.0.1:${grpcPort}`,
      HEALTH_PORT: String(healthPort),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  // Never leave the store running when the bench fails.
  process.once('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${healthPort}/readyz`)).status === 200) break;
    } catch {
      // not yet listening
    }
    if (i > 300) throw new Error('metric-store did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }

  const client = new MetricStoreClient(`127.0.0.1:${grpcPort}`, credentials.createInsecure(), {
    'grpc.max_send_message_length': 64 * 1024 * 1024,
    'grpc-node.flow_control_window': 16 * 1024 * 1024,
  });
  const nowS = Math.floor(Date.now() / 1000);
  const t0 = nowS - SECONDS;
  const hosts = Array.from({ length: HOSTS }, (_, i) => hostInfo(i));
  const work: WriteBatch[] = [];
  let batchId = 1;
  for (const h of hosts) {
    const upserts: ChartUpsert[] = charts.map((c, i) => ({ machineGuid: h.machineGuid, chartIndex: i, chart: c }));
    work.push({ batchId: batchId++, hosts: [h], charts: upserts, states: [], variables: [], samples: [], deletedCharts: [], settledBelow: 0 });
  }
  // Interleave hosts second by second, as a parent receives them.
  let perHost = hosts.map((h) => batches(h.machineGuid, series, t0));
  for (let k = 0; k < perHost[0].length; k++) {
    for (const b of perHost) work.push({ batchId: batchId++, hosts: [], charts: [], states: [], variables: [], samples: [b[k]], deletedCharts: [], settledBelow: 0 });
  }
  const total = perHost.reduce((a, b) => a + b.reduce((x, s) => x + s.rows, 0), 0);
  const batchCount = work.length;
  perHost = [];
  console.log(
    `data: ${fixture.length} real dimensions of a Netdata 1.37.1 child (+100 in bench.hundred) x ${SECONDS} s x ${HOSTS} hosts = ${total} samples, ${work.length} batches`,
  );

  // ---- writes
  const call = client.write();
  let acked = 0;
  let ackedRows = 0;
  let inFlight = 0;
  let release: (() => void) | undefined;
  let failed: string | undefined;
  call.on('data', (a: WriteAck) => {
    acked++;
    ackedRows += a.rows;
    inFlight--;
    if (a.error) failed = a.error;
    release?.();
  });
  const started = process.hrtime.bigint();
  for (const b of work) {
    while (inFlight >= IN_FLIGHT) await new Promise<void>((r) => (release = r));
    inFlight++;
    if (!call.write(b)) await new Promise((r) => call.once('drain', r));
  }
  while (acked < batchCount) await new Promise<void>((r) => (release = r));
  // The generated data (~250 MB) is garbage now: collect it before the queries, or the harness's own GC pauses
  // would be measured as query latency.
  work.length = 0;
  (globalThis as { gc?: () => void }).gc?.();
  const ackedAt = process.hrtime.bigint();
  if (failed) throw new Error(`a batch was rejected: ${failed}`);
  let st = await status(client);
  while (st.heldFlushBytes > 0 || st.storedPoints + st.hotSamples < total) {
    await new Promise((r) => setTimeout(r, 20));
    st = await status(client);
  }
  const flushedAt = process.hrtime.bigint();
  call.end();
  const ackS = Number(ackedAt - started) / 1e9;
  const pgS = Number(flushedAt - started) / 1e9;

  // ---- queries: 1 hour x 100 dimensions
  const hundred = { host: hosts[0].hostname, chart: 'bench.hundred', after: t0 + 1, before: t0 + SECONDS, dimensions: [], groupTime: 0, guidOnly: false };
  const measure = async (req: QueryRequest) => {
    // The first run decodes every page (cold decoded-page cache); later runs are what a refreshing dashboard sees.
    const c0 = process.hrtime.bigint();
    await query(client, req);
    const cold = Number(process.hrtime.bigint() - c0) / 1e6;
    for (let i = 0; i < 9; i++) await query(client, req);
    const lat: number[] = [];
    let rows = 0;
    for (let i = 0; i < QUERIES; i++) {
      const q0 = process.hrtime.bigint();
      const r = await query(client, req);
      lat.push(Number(process.hrtime.bigint() - q0) / 1e6);
      rows = r.rows;
    }
    lat.sort((a, b) => a - b);
    return { p50: percentile(lat, 50), p99: percentile(lat, 99), rows, cold };
  };
  const raw = await measure({ ...hundred, points: 0, group: 'average' });
  const grouped = await measure({ ...hundred, points: 600, group: 'average' });
  const median = await measure({ ...hundred, points: 600, group: 'median' });
  client.close();

  // ---- graceful stop: the open pages are flushed now
  const s0 = process.hrtime.bigint();
  child.kill('SIGTERM');
  const code = await exited;
  const stopS = Number(process.hrtime.bigint() - s0) / 1e9;
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  const disk = (
    await c.query<{ total: string; heap: string; points: string; pages: string }>(
      `SELECT pg_total_relation_size('pages') AS total, pg_relation_size('pages') AS heap,
              coalesce(sum(points), 0) AS points, count(*) AS pages FROM pages`,
    )
  ).rows[0];
  await c.end();
  const points = Number(disk.points);

  console.log(`write: ${ackedRows} samples acknowledged in ${ackS.toFixed(2)} s = ${Math.round(ackedRows / ackS)} samples/s (hot pages + journal)`);
  console.log(
    `write: full pages in PostgreSQL after ${pgS.toFixed(2)} s, open pages flushed at shutdown in ${stopS.toFixed(2)} s (exit ${code}) => ` +
      `${Math.round(total / (pgS + stopS))} samples/s end to end into PostgreSQL`,
  );
  console.log(
    `disk: ${points} points in ${disk.pages} pages; pages table total ${disk.total} B (heap ${disk.heap} B) => ` +
      `${(Number(disk.total) / points).toFixed(3)} bytes/sample (heap only ${(Number(disk.heap) / points).toFixed(3)})`,
  );
  const line = (what: string, m: typeof raw) =>
    console.log(`query 1 h x 100 dims, ${what} (${m.rows} rows): p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms (first, cold: ${m.cold.toFixed(1)} ms)`);
  line('every point', raw);
  line('points=600 average', grouped);
  line('points=600 median', median);
  console.log(`(decoded-page cache: TRIBUTARY_QUERY_CACHE_MB=${process.env['TRIBUTARY_QUERY_CACHE_MB'] ?? '64 (default)'}; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')})`);
  if (points !== total) console.log(`WARNING: ${total} samples written but ${points} points stored`);

  await database.drop();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
