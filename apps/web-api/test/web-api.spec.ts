import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { createWebApi, WebApi } from '../src/app.factory';
import { loadWebApiConfig } from '../src/config/web-api.config';
import { cpuChart, FakeData, FakePeers, hostRecord, startFakePeers } from './fake-peers';

const G1 = '11111111-aaaa-4bbb-8ccc-000000000001';
const G2 = '11111111-aaaa-4bbb-8ccc-000000000002';
const G3 = '11111111-aaaa-4bbb-8ccc-000000000003';
const G4 = '11111111-aaaa-4bbb-8ccc-000000000004';
const T0 = 1_700_000_000;

type Json = ReturnType<typeof JSON.parse>;

function fakeData(): FakeData {
  const times = Array.from({ length: 10 }, (_, i) => T0 + 1 + i);
  const values = times.map((_, i) => [i, i * 0.5 + 0.1234567891, 50]);
  values[3] = [NaN, NaN, NaN]; // a gap
  const twin = hostRecord(G3, 'child1', true); // same hostname as G1: the first one listed wins, as Netdata
  return {
    // G4 names itself after G1's GUID: it must not take G1's place anywhere.
    hosts: [hostRecord(G1, 'child1', true), hostRecord(G2, 'old', false), twin, hostRecord(G4, G1, true)],
    charts: new Map([[G1, [cpuChart()]], [G2, []], [G3, []], [G4, []]]),
    series: new Map([[`${G1}/system.cpu`, { times, values }]]),
    streams: {
      children: [
        {
          machineGuid: G1,
          hostname: 'child1',
          online: true,
          sinceMs: 1_700_000_000_500,
          peer: '127.0.0.1:40000',
          protocolVersion: 0x1f7e,
          capabilities: ['VCAPS', 'HLABELS', 'COMPRESSION', 'REPLICATION'],
          compression: true,
          compressionRatio: 3.2,
          samplesPerSecond: 1150,
          bytesPerSecond: 13000,
          bufferedBytes: 42,
          lastError: '',
          tls: false,
          hops: 1,
          samplesTotal: 5000,
          bytesTotal: 70000,
          charts: 1,
          replicationPending: 0,
          proxyDestination: 'tcp:10.0.0.9:19999',
          proxyState: 'streaming',
          proxyBytesSent: 123456,
          proxyLastError: '',
          proxyConnects: 1,
          lagSeconds: 0.4,
          readingPaused: false,
        },
      ],
      samplesPerSecond: 1150,
      bytesPerSecond: 13000,
      bufferedBytes: 42,
      connected: 1,
      storeConnected: true,
      pendingBatches: 2,
      duplicateAcks: 0,
      rowsDropped: 0,
      deferredReads: 7,
    },
    alarms: [],
    scrapes: [],
    queries: [],
  };
}

describe('web-api over fake gRPC peers', () => {
  let peers: FakePeers;
  let api: WebApi;
  let base: string;
  let dataDir: string;

  beforeAll(async () => {
    peers = await startFakePeers(fakeData());
    dataDir = mkdtempSync(join(tmpdir(), 'web-api-spec-'));
    const configDir = mkdtempSync(join(tmpdir(), 'web-api-conf-'));
    writeFileSync(join(configDir, 'netdata.conf'), '[global]\n    hostname = tributary-parent\n[web]\n    default port = 19999\n');
    const config = loadWebApiConfig({
      WEB_API_LISTEN: '127.0.0.1:0',
      METRIC_STORE_ADDR: peers.addr,
      STREAM_INGEST_ADDR: peers.addr,
      HEALTH_ENGINE_ADDR: peers.addr,
      EXPORTER_ADDR: peers.addr,
      TRIBUTARY_DATA_DIR: dataDir,
      TRIBUTARY_CONFIG_DIR: configDir,
    });
    api = await createWebApi(config, false);
    await api.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await api?.app.close();
    api?.peers.close();
    await peers?.stop();
  });

  const get = (path: string) => fetch(base + path, { redirect: 'manual' });
  // JSON bodies are read loosely on purpose: the assertions below are what check their shape.
  const body = async (path: string): Promise<Json> => (await get(path)).json();

  it('answers /livez and /readyz', async () => {
    expect((await get('/livez')).status).toBe(200);
    expect((await get('/readyz')).status).toBe(200);
  });

  it('serves /api/v1/info as a parent: itself first, tab-indented, a persisted GUID', async () => {
    const res = await get('/api/v1/info');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const text = await res.text();
    expect(text).toMatch(/^\{\n\t"version": "v1\.37\.1",\n\t"uid": /);
    const info = JSON.parse(text);
    const guid = readFileSync(join(dataDir, 'parent.guid'), 'utf8').trim();
    expect(info.uid).toBe(guid);
    expect(info.mirrored_hosts).toEqual(['tributary-parent', 'child1', 'old', 'child1', G1]);
    expect(info.mirrored_hosts_status[0]).toEqual({ guid, hostname: 'tributary-parent', reachable: true, hops: 0, claim_id: null, node_id: null });
    expect(info.mirrored_hosts_status[1]).toMatchObject({ guid: G1, reachable: true, hops: 1 });
    expect(info.mirrored_hosts_status[2]).toMatchObject({ guid: G2, reachable: false });
    expect(info).toHaveProperty('stream-compression', null);
    expect(info.buildinfo.split('|')).toContain('Stream Compression');
    expect(Object.keys(info).indexOf('stream-compression')).toBeGreaterThan(Object.keys(info).indexOf('memory-mode'));
  });

  it('switches host under /host/NAME-OR-GUID/: GUID first, then hostname', async () => {
    const byName = await body('/host/child1/api/v1/info');
    expect(byName.uid).toBe(G1);
    expect(byName.cores_total).toBe('4');
    const byGuid = await body(`/host/${G3}/api/v1/info`);
    expect(byGuid.uid).toBe(G3);
    // A hostname equal to another host's GUID does not take that host's URL (Netdata would serve G4 here).
    expect((await body(`/host/${G1}/api/v1/info`)).uid).toBe(G1);
    expect((await body(`/host/${G4}/api/v1/info`)).uid).toBe(G4);
  });

  it('redirects /host/X to /host/X/, 404s unknown hosts and 400s nested hosts with Netdata texts', async () => {
    const r = await get('/host/child1?x=1');
    expect(r.status).toBe(308);
    expect(r.headers.get('location')).toBe('/host/child1/?x=1');
    const nf = await get('/host/nobody/api/v1/info');
    expect(nf.status).toBe(404);
    expect(await nf.text()).toBe('This netdata does not maintain a database for host: nobody');
    const nested = await get('/host/child1/host/old/api/v1/info');
    expect(nested.status).toBe(400);
    expect(await nested.text()).toBe('Nesting of hosts is not allowed.');
  });

  it('lists charts in Netdata shape', async () => {
    const doc = await body('/host/child1/api/v1/charts');
    expect(doc.hostname).toBe('child1');
    expect(doc.charts_count).toBe(1);
    expect(doc.dimensions_count).toBe(2);
    const cpu = doc.charts['system.cpu'];
    expect(cpu).toMatchObject({
      id: 'system.cpu',
      type: 'system',
      family: 'cpu',
      units: 'percentage',
      chart_type: 'stacked',
      title: 'Total CPU utilization (system.cpu)',
      data_url: '/api/v1/data?chart=system.cpu',
      dimensions: { user: { name: 'user' }, system: { name: 'system' } },
      duration: 10,
    });
    const one = await body('/host/child1/api/v1/chart?chart=system.cpu');
    expect(one).toEqual(cpu);
    const missing = await get('/host/child1/api/v1/chart?chart=nope');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe('Chart is not found: nope');
  });

  it('the parent itself has an empty chart list, not an error', async () => {
    const doc = await body('/api/v1/charts');
    expect(doc.hostname).toBe('tributary-parent');
    expect(doc.charts).toEqual({});
    expect(doc.hosts).toHaveLength(5);
  });

  it('serves /api/v1/data as json, newest first, nulls for gaps', async () => {
    const res = await get('/host/child1/api/v1/data?chart=system.cpu&after=-5');
    expect(res.status).toBe(200);
    const d: Json = await res.json();
    expect(d.labels).toEqual(['time', 'user', 'system']);
    expect(d.data.map((r: number[]) => r[0])).toEqual([T0 + 10, T0 + 9, T0 + 8, T0 + 7, T0 + 6]);
    expect(d.data[0]).toEqual([T0 + 10, 9, 4.6234568]);
    const q = peers.data.queries.at(-1);
    expect(q).toMatchObject({ host: G1, chart: 'system.cpu', after: -5, before: 0, group: 'average' });
    const gap = await body('/host/child1/api/v1/data?chart=system.cpu&after=-10&options=flip');
    expect(gap.data[0][0]).toBe(T0 + 1);
    expect(gap.data[3]).toEqual([T0 + 4, null, null]);
  });

  it('serves csv, array, dimensions and options=jsonwrap', async () => {
    const csv = await (await get('/host/child1/api/v1/data?chart=system.cpu&after=-2&format=csv&options=seconds')).text();
    expect(csv).toBe(`time,user,system\n${T0 + 10},9,4.6234568\n${T0 + 9},8,4.1234568\n`);
    const arr = await body('/host/child1/api/v1/data?chart=system.cpu&after=-2&format=array');
    expect(arr).toEqual([13.6234568, 12.1234568]);
    const dims = await body('/host/child1/api/v1/data?chart=system.cpu&after=-2&dimensions=system');
    expect(dims.labels).toEqual(['time', 'system']);
    const hidden = await body('/host/child1/api/v1/data?chart=system.cpu&after=-2&options=showhidden');
    expect(hidden.labels).toEqual(['time', 'user', 'system', 'idle']);
    expect(hidden.data[0]).toEqual([T0 + 10, 9, 4.6234568, 50]);
    const wrap = await body('/host/child1/api/v1/data?chart=system.cpu&after=-3&format=json&options=jsonwrap');
    expect(wrap).toMatchObject({
      api: 1,
      update_every: 1,
      dimension_ids: ['user', 'system'],
      points: 3,
      format: 'json',
      after: T0 + 8,
      before: T0 + 10,
      min: 3.6234568,
      max: 9,
      latest_values: [9, 4.6234568],
    });
    expect(wrap.result.labels).toEqual(['time', 'user', 'system']);
  });

  it('answers malformed /api/v1/data requests with 400/404 and a clear message', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['/host/child1/api/v1/data', 400, /No chart or context is given/],
      ['/host/child1/api/v1/data?chart=system.cpu&after=abc', 400, /after.*abc/],
      ['/host/child1/api/v1/data?chart=system.cpu&before=1.5', 400, /before.*1\.5/],
      ['/host/child1/api/v1/data?chart=system.cpu&points=-3', 400, /points/],
      ['/host/child1/api/v1/data?chart=system.cpu&format=xml', 400, /format 'xml'/],
      ['/host/child1/api/v1/data?chart=system.cpu&group=magic', 400, /group method 'magic'/],
      ['/host/child1/api/v1/data?chart=nope', 404, /No metrics where matched to query/],
      ['/api/v1/allmetrics?format=bad', 400, /Which format\?/],
    ];
    for (const [path, code, text] of cases) {
      const r = await get(path);
      expect([path, r.status]).toEqual([path, code]);
      expect(await r.text()).toMatch(text);
    }
  });

  it('serves allmetrics shell and json from the newest stored values', async () => {
    const shell = await (await get('/host/child1/api/v1/allmetrics')).text();
    expect(shell).toContain('\n# chart: system.cpu (name: system.cpu)\n');
    expect(shell).toContain('NETDATA_SYSTEM_CPU_USER="9"      # percentage\n');
    expect(shell).toContain('NETDATA_SYSTEM_CPU_SYSTEM="5"      # percentage\n');
    // hidden dimensions are printed, but not counted in the visible total
    expect(shell).toContain('NETDATA_SYSTEM_CPU_IDLE="50"      # percentage\n');
    expect(shell).toContain('NETDATA_SYSTEM_CPU_VISIBLETOTAL="14"      # percentage\n');
    const json = await body('/host/child1/api/v1/allmetrics?format=json');
    expect(json['system.cpu']).toMatchObject({ name: 'system.cpu', family: 'cpu', units: 'percentage', last_updated: T0 + 10 });
    expect(json['system.cpu'].dimensions.system).toEqual({ name: 'system', value: 4.6234568 });
    const filtered = await body('/host/child1/api/v1/allmetrics?format=json&filter=disk.*');
    expect(filtered).toEqual({});
  });

  it('delegates prometheus formats to the exporter with the host and options', async () => {
    const r = await get('/host/child1/api/v1/allmetrics?format=prometheus&server=s1&help=yes');
    expect(r.status).toBe(200);
    expect(await r.text()).toContain(`# host=${G1} all=false`);
    expect(peers.data.scrapes.at(-1)).toMatchObject({ host: G1, server: 's1', prefix: 'netdata', source: 'average', options: { help: 'yes' } });
    await get('/api/v1/allmetrics?format=prometheus_all_hosts');
    // without server=, the client's address keys the scrape window, as in Netdata
    expect(peers.data.scrapes.at(-1)).toMatchObject({ host: '', allHosts: true, server: '127.0.0.1' });
  });

  it('serves alarms from health-engine in Netdata shape', async () => {
    const alarms = await body('/host/child1/api/v1/alarms');
    expect(alarms).toMatchObject({ hostname: 'child1', status: true, alarms: {} });
  });

  it('merges stream-ingest and metric-store into the stream status', async () => {
    const s = await body('/api/v1/tributary/streams');
    expect(s.hosts.map((h: { hostname: string }) => h.hostname)).toEqual(['tributary-parent', 'child1', 'old', 'child1', G1]);
    const child = s.hosts[1];
    expect(child).toMatchObject({
      machine_guid: G1,
      online: true,
      peer: '127.0.0.1:40000',
      compression: true,
      compression_ratio: 3.2,
      samples_per_second: 1150,
      buffered_bytes: 42,
      lag_seconds: 0.4,
      reading_paused: false,
      capabilities: ['VCAPS', 'HLABELS', 'COMPRESSION', 'REPLICATION'],
      proxy: { destination: 'tcp:10.0.0.9:19999', state: 'streaming', bytes_sent: 123456, connects: 1, last_error: null },
    });
    expect(s.hosts[2]).toMatchObject({ machine_guid: G2, online: false, last_error: 'socket closed', compression: null, proxy: null });
    expect(s.totals).toMatchObject({ connected: 1, samples_per_second: 1150, online: 3, offline: 1, max_lag_seconds: 0.4, pending_batches: 2, deferred_reads: 7 });
    expect(s.peers['stream-ingest'].reachable).toBe(true);
    const one = await body('/host/old/api/v1/tributary/streams');
    expect(one.hosts).toHaveLength(1);
  });

  it('serves the dashboard and uPlot', async () => {
    const html = await (await get('/')).text();
    expect(html).toContain('/assets/uplot/uPlot.iife.min.js');
    expect((await get('/assets/uplot/uPlot.iife.min.js')).status).toBe(200);
    expect((await get('/assets/dashboard.js')).status).toBe(200);
    expect((await get('/host/child1/')).status).toBe(200);
  });
});

describe('web-api with its peers down', () => {
  let api: WebApi;
  let base: string;

  beforeAll(async () => {
    const dead = '127.0.0.1:1';
    const config = loadWebApiConfig({
      METRIC_STORE_ADDR: dead,
      STREAM_INGEST_ADDR: dead,
      HEALTH_ENGINE_ADDR: dead,
      EXPORTER_ADDR: dead,
      TRIBUTARY_DATA_DIR: mkdtempSync(join(tmpdir(), 'web-api-spec-')),
      TRIBUTARY_CONFIG_DIR: '/nonexistent',
      WEB_API_RPC_TIMEOUT_MS: '2000',
    });
    api = await createWebApi(config, false);
    await api.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await api?.app.close();
    api?.peers.close();
  });

  it.each([
    ['/api/v1/allmetrics?format=prometheus', /exporter is unreachable at 127\.0\.0\.1:1/],
    ['/api/v1/alarms', /health-engine is unreachable at 127\.0\.0\.1:1/],
    ['/api/v1/alarm_log', /health-engine is unreachable/],
    ['/api/v1/info', /metric-store is unreachable/],
    ['/api/v1/tributary/streams', /Neither stream-ingest nor metric-store answers/],
  ])('%s -> 503 with a clear message', async (path, text) => {
    const r = await fetch(base + path);
    expect(r.status).toBe(503);
    expect(await r.text()).toMatch(text);
  });

  it('stays live and ready', async () => {
    expect((await fetch(base + '/readyz')).status).toBe(200);
  });
});
