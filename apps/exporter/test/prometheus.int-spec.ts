import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startApp, type RunningApp } from '@tributary/testing';
import { AllmetricsBridge } from './support/allmetrics.bridge';
import { FakeMetricStore } from './support/fake-metric-store';
import { feedLive, user, windowValue } from './support/live-feed';
import { startPrometheus, type Tsdb } from './support/tsdb';

interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

// A real Prometheus 2.42 receiving the exporter's remote write (average and sum) and scraping
// /api/v1/allmetrics?format=prometheus (served, as web-api serves it, from Exporter.PrometheusScrape).
describe('exporter -> real Prometheus (remote write and scrape)', () => {
  let prom: Tsdb;
  let app: RunningApp;
  let bridge: AllmetricsBridge;
  let stopFeed: () => void;
  const store = new FakeMetricStore();
  const dir = mkdtempSync(join(tmpdir(), 'exporter-prom-'));

  beforeAll(async () => {
    await store.listen();
    stopFeed = feedLive(store, 'guid-prom', 'child2');
    const promPort = await freePort();
    const grpcPort = await freePort();
    writeFileSync(
      join(dir, 'exporting.conf'),
      [
        '[exporting:global]',
        '    enabled = yes',
        '    update every = 2',
        '    remote write URL path = /api/v1/write',
        `    destination = 127.0.0.1:${promPort}`,
        '[prometheus_remote_write:avg]',
        '    prefix = rwa',
        '[prometheus_remote_write:sum]',
        '    prefix = rws',
        '    data source = sum',
        '[prometheus:exporter]',
        '    update every = 5',
        '',
      ].join('\n'),
    );
    const healthPort = await freePort();
    app = await startApp(
      'exporter',
      { HEALTH_PORT: String(healthPort), GRPC_LISTEN: `127.0.0.1:${grpcPort}`, METRIC_STORE_ADDR: `127.0.0.1:${store.port}`, TRIBUTARY_CONFIG_DIR: dir },
      { healthPort },
    );
    bridge = new AllmetricsBridge(`127.0.0.1:${grpcPort}`, 'child2');
    const bridgePort = await bridge.listen();
    process.env['PROM_PORT'] = String(promPort);
    prom = startPrometheus([`http://127.0.0.1:${bridgePort}/api/v1/allmetrics?format=prometheus&source=average&server=prom1`]);
    delete process.env['PROM_PORT'];
    await new Promise((r) => setTimeout(r, 10000));
  }, 60000);

  afterAll(async () => {
    stopFeed?.();
    await bridge?.close();
    await app?.stop();
    store.stop();
    prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const range = async (selector: string): Promise<RangeSeries> => {
    const url = `${prom.vars['PROM_URL']}/api/v1/query?${new URLSearchParams({ query: `${selector}[2m]` })}`;
    const j = (await (await fetch(url)).json()) as { data: { result: RangeSeries[] } };
    expect(j.data.result).toHaveLength(1);
    expect(j.data.result[0].values.length).toBeGreaterThanOrEqual(3);
    return j.data.result[0];
  };

  const expectWindows = (s: RangeSeries, sum: boolean): void => {
    for (let i = 1; i < s.values.length; i++) {
      const prev = s.values[i - 1][0];
      const ts = s.values[i][0];
      expect(Number(s.values[i][1])).toBeCloseTo(windowValue(user, prev, ts, sum), 6);
    }
  };

  it('remote write average and sum arrive under Netdata names with window values', async () => {
    const avg = await range('rwa_system_cpu_percentage_average{dimension="user"}');
    expect(avg.metric).toEqual({ __name__: 'rwa_system_cpu_percentage_average', chart: 'system.cpu', dimension: 'user', family: 'cpu', instance: 'child2' });
    expectWindows(avg, false);
    const sum = await range('rws_system_cpu_sum{dimension="user"}');
    expectWindows(sum, true);
  });

  it('the scrape endpoint: average since the last scrape of server=prom1, Netdata labels, target healthy', async () => {
    const targets = (await (await fetch(`${prom.vars['PROM_URL']}/api/v1/targets`)).json()) as {
      data: { activeTargets: { health: string; lastError: string }[] };
    };
    expect(targets.data.activeTargets[0]).toMatchObject({ health: 'up', lastError: '' });
    const s = await range('netdata_system_cpu_percentage_average{dimension="user"}');
    expect(s.metric).toMatchObject({ chart: 'system.cpu', dimension: 'user', family: 'cpu', job: 'scrape0' });
    expectWindows(s, false);
    const info = await range('netdata_info{job="scrape0"}');
    expect(info.metric).toMatchObject({ instance: 'child2', application: 'netdata', version: 'v1.37.1', env: 'lab' });
  });
});
