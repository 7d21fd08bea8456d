import { credentials } from '@grpc/grpc-js';
import { ExporterClient, type ExporterStatus, type ScrapeResponse, type SubscribeEvent } from '@tributary/protocol';
import { parseExportingConf } from '../src/config/exporting-conf.parser';
import { ExporterRuntime } from '../src/exporter.runtime';
import { chartDef, dimension, hostInfo, samples } from './support/fixtures';
import { FakeMetricStore } from './support/fake-metric-store';
import { CaptureServer, until } from './support/sinks';

// The exporter fed by a (fake, in-process) MetricStore subscription, exporting to a local capture server, and
// answering its own gRPC API: the whole app minus the other services.
describe('exporter pipeline on a MetricStore subscription', () => {
  const store = new FakeMetricStore();
  const sink = new CaptureServer();
  let runtime: ExporterRuntime;
  let client: ExporterClient;
  const cpu = chartDef({ id: 'system.cpu', dimensions: [dimension('user'), dimension('system')] });
  const topology = (index: number): SubscribeEvent[] => [
    { event: { $case: 'host', host: hostInfo('guid-1', 'child1', { env: 'lab' }) } },
    { event: { $case: 'chart', chart: { machineGuid: 'guid-1', chartIndex: index, chart: cpu } } },
  ];

  beforeAll(async () => {
    await store.listen();
    let subscription = 0;
    // Every subscription numbers charts differently, as a real store may.
    store.onSubscribe = (call) => {
      subscription++;
      for (const ev of topology(subscription * 10)) call.write(ev);
    };
    const port = await sink.listen();
    const settings = parseExportingConf(
      `[graphite:g]\nenabled = yes\ndestination = 127.0.0.1:${port}\ndata source = as collected\nupdate every = 1\n` +
        '[json:off]\nenabled = no\n' +
        '[prometheus:exporter]\nupdate every = 5\n',
    );
    runtime = new ExporterRuntime(
      { configDir: '/nonexistent', grpcListen: '127.0.0.1:0', healthPort: 0, metricStoreAddr: `127.0.0.1:${store.port}` },
      settings,
    );
    await runtime.start();
    client = new ExporterClient(`127.0.0.1:${runtime.grpc.port}`, credentials.createInsecure());
  });

  afterAll(async () => {
    client.close();
    await runtime.stop();
    store.stop();
    await sink.close();
  });

  const status = () => new Promise<ExporterStatus>((res, rej) => client.getExporterStatus({}, (e, r) => (e ? rej(e) : res(r))));
  const scrape = (server: string) =>
    new Promise<ScrapeResponse>((res, rej) =>
      client.prometheusScrape({ host: 'child1', allHosts: false, server, prefix: '', source: 'average', filter: '', options: {} }, (e, r) =>
        e ? rej(e) : res(r),
      ),
    );

  it('exports samples that arrive on the subscription, and reports status over gRPC', async () => {
    await until(() => store.calls.length === 1 && runtime.engine.registry.hosts.get('guid-1')?.charts.size === 1, 5000, 'subscription');
    const now = Math.floor(Date.now() / 1000);
    store.push({ event: { $case: 'samples', samples: samples('guid-1', [[10, 0, now, 7, 7], [10, 1, now, 3, 3]]) } });
    await until(() => sink.data.includes(`netdata.child1.system.cpu.user;env=lab 7 ${now}\n`), 5000, 'graphite line');
    expect(sink.data).toContain(`netdata.child1.system.cpu.system;env=lab 3 ${now}\n`);
    const st = await status();
    expect(st.connectors.map((c) => [c.name, c.enabled])).toEqual([
      ['graphite:g', true],
      ['json:off', false],
    ]);
    expect(st.connectors[0].sentPoints).toBeGreaterThanOrEqual(2);
  });

  it('resubscribes after the store ends the stream, with the new subscription chart indexes', async () => {
    store.endAll();
    await until(() => store.calls.length === 1, 8000, 'resubscription');
    await until(() => runtime.subscriber?.subscriptions === 2, 1000, 'second subscription');
    const now = Math.floor(Date.now() / 1000);
    // old index 10 means nothing now; 20 is system.cpu
    store.push({ event: { $case: 'samples', samples: samples('guid-1', [[10, 0, now, 1111, 1111], [20, 0, now, 99, 99]]) } });
    await until(() => sink.data.includes(`netdata.child1.system.cpu.user;env=lab 99 ${now}\n`), 5000, 'line after resubscribe');
    expect(sink.data).not.toContain(' 1111 ');
  });

  it('PrometheusScrape: average since the same server last scraped', async () => {
    const now = Math.floor(Date.now() / 1000);
    const rows: [number, number, number, number][] = [];
    for (let t = now - 30; t <= now; t++) rows.push([20, 0, t, 10], [20, 1, t, t % 2 ? 1 : 3]);
    store.push({ event: { $case: 'samples', samples: samples('guid-1', rows) } });
    await until(() => (runtime.engine.registry.hosts.get('guid-1')?.charts.get('system.cpu')?.lastTime[1] ?? 0) >= now, 3000, 'samples');
    const r = await scrape('prom-a');
    expect(r.status).toBe(200);
    expect(r.contentType).toBe('text/plain; version=0.0.4');
    const lines = r.body.split('\n');
    expect(lines[0]).toMatch(/^netdata_info\{instance="child1",application="netdata",version="v1.37.1",env="lab"\} 1 \d{13}$/);
    expect(lines[1]).toBe('# HELP netdata_system_cpu_percentage_average Total CPU utilization');
    expect(lines[2]).toBe('# TYPE netdata_system_cpu_percentage_average gauge');
    expect(lines[3]).toMatch(/^netdata_system_cpu_percentage_average\{chart="system.cpu",dimension="user",family="cpu"\} 10.0000000 \d+000$/);
    expect(lines[4]).toMatch(/^netdata_system_cpu_percentage_average\{chart="system.cpu",dimension="system",family="cpu"\} (2|1.8|2.2)000000 \d+000$/);
  });
});
