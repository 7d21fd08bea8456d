import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startApp, type RunningApp } from '@tributary/testing';
import { FakeMetricStore } from './support/fake-metric-store';
import { feedLive, system, systemRaw, user, userRaw, windowValue } from './support/live-feed';
import { startVictoria, vmExport, type Tsdb, type VmSeries } from './support/tsdb';

// The exporter app (its own process) on a MetricStore subscription, exporting to a real VictoriaMetrics through
// graphite (as collected), opentsdb telnet (average), opentsdb http (sum) and remote write (average).
describe('exporter -> real VictoriaMetrics', () => {
  let vm: Tsdb;
  let app: RunningApp;
  let stopFeed: () => void;
  const store = new FakeMetricStore();
  const dir = mkdtempSync(join(tmpdir(), 'exporter-vm-'));

  beforeAll(async () => {
    vm = startVictoria();
    const v = vm.vars;
    await store.listen();
    stopFeed = feedLive(store, 'guid-vm', 'child1');
    writeFileSync(
      join(dir, 'exporting.conf'),
      [
        '[exporting:global]',
        '    enabled = yes',
        '    update every = 2',
        '[graphite:raw]',
        `    destination = 127.0.0.1:${v['VM_GRAPHITE_PORT']}`,
        '    data source = as collected',
        '    update every = 1',
        '[opentsdb:avg]',
        `    destination = 127.0.0.1:${v['VM_OPENTSDB_PORT']}`,
        '    prefix = avg',
        '    data source = average',
        '[opentsdb:http:sum]',
        `    destination = 127.0.0.1:${v['VM_OPENTSDB_HTTP_PORT']}`,
        '    prefix = sum',
        '    data source = sum',
        '[prometheus_remote_write:rw]',
        `    destination = 127.0.0.1:${v['VM_HTTP_PORT']}`,
        '    remote write URL path = /api/v1/write',
        '    send variables = no',
        '',
      ].join('\n'),
    );
    const healthPort = await freePort();
    app = await startApp(
      'exporter',
      {
        HEALTH_PORT: String(healthPort),
        GRPC_LISTEN: `127.0.0.1:${await freePort()}`,
        METRIC_STORE_ADDR: `127.0.0.1:${store.port}`,
        TRIBUTARY_CONFIG_DIR: dir,
      },
      { healthPort },
    );
    // Several batches of every connector.
    await new Promise((r) => setTimeout(r, 9000));
  }, 60000);

  afterAll(async () => {
    stopFeed?.();
    await app?.stop();
    store.stop();
    vm?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const one = async (selector: string): Promise<VmSeries> => {
    const s = await vmExport(vm.vars['VM_HTTP_PORT'], selector);
    expect(s).toHaveLength(1);
    expect(s[0].values.length).toBeGreaterThanOrEqual(3);
    return s[0];
  };

  /** Every sample after the first is the average/sum of (previous timestamp, timestamp]. */
  const expectWindows = (s: VmSeries, f: (t: number) => number, sum: boolean): void => {
    const order = s.timestamps.map((t, i) => [t, s.values[i]] as const).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < order.length; i++) {
      const prev = order[i - 1][0] / 1000;
      const ts = order[i][0] / 1000;
      expect(order[i][1]).toBeCloseTo(windowValue(f, prev, ts, sum), 6);
    }
  };

  it('graphite as collected: netdata.child1.system.cpu.user;env=lab carries the last raw collected value at its collection time', async () => {
    const s = await one('{__name__="netdata.child1.system.cpu.user"}');
    expect(s.metric).toEqual({ __name__: 'netdata.child1.system.cpu.user', env: 'lab' });
    s.timestamps.forEach((t, i) => expect(s.values[i]).toBe(userRaw(t / 1000)));
    const sys = await one('{__name__="netdata.child1.system.cpu.system"}');
    sys.timestamps.forEach((t, i) => expect(sys.values[i]).toBe(systemRaw(t / 1000)));
  });

  it('opentsdb telnet average: avg.system.cpu.user{host=child1} is the window average', async () => {
    const s = await one('{__name__="avg.system.cpu.user"}');
    expect(s.metric).toEqual({ __name__: 'avg.system.cpu.user', host: 'child1', env: 'lab' });
    expectWindows(s, user, false);
  });

  it('opentsdb http sum: sum.system.cpu.user is the window sum', async () => {
    const s = await one('{__name__="sum.system.cpu.user"}');
    expect(s.metric).toEqual({ __name__: 'sum.system.cpu.user', host: 'child1', env: 'lab' });
    expectWindows(s, user, true);
    const sys = await one('{__name__="sum.system.cpu.system"}');
    expectWindows(sys, system, true);
  });

  it('remote write average: netdata_system_cpu_percentage_average with Netdata labels, and netdata_info', async () => {
    const s = await one('{__name__="netdata_system_cpu_percentage_average",dimension="user"}');
    expect(s.metric).toEqual({
      __name__: 'netdata_system_cpu_percentage_average',
      chart: 'system.cpu',
      dimension: 'user',
      family: 'cpu',
      instance: 'child1',
    });
    expectWindows(s, user, false);
    const info = await one('{__name__="netdata_info"}');
    expect(info.metric).toEqual({ __name__: 'netdata_info', application: 'netdata', instance: 'child1', version: 'v1.37.1', env: 'lab' });
  });
});
