import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentials } from '@grpc/grpc-js';
import { ExporterClient, type ExporterStatus } from '@tributary/protocol';
import { freePort, startApp, type RunningApp } from '@tributary/testing';
import { FakeMetricStore } from './support/fake-metric-store';
import { feedLive, userRaw } from './support/live-feed';
import { startVictoria, vmExport, type Tsdb } from './support/tsdb';

const OUTAGE_S = 60;
const BUFFER = 20;
const RW_BUFFER = 10;

// VictoriaMetrics stopped for 60 s and restarted on the same ports and data: the last `buffer on failures` batches
// arrive afterwards, everything older is counted (and logged) as dropped.
describe('exporter: TSDB outage of 60 s', () => {
  let vm: Tsdb;
  let app: RunningApp;
  let stopFeed: () => void;
  let client: ExporterClient;
  const store = new FakeMetricStore();
  const dir = mkdtempSync(join(tmpdir(), 'exporter-outage-'));
  let stoppedAt = 0;
  let restartedAt = 0;

  const status = () => new Promise<ExporterStatus>((res, rej) => client.getExporterStatus({}, (e, r) => (e ? rej(e) : res(r))));

  beforeAll(async () => {
    vm = startVictoria();
    await store.listen();
    stopFeed = feedLive(store, 'guid-outage', 'child9');
    writeFileSync(
      join(dir, 'exporting.conf'),
      [
        '[graphite:raw]',
        '    enabled = yes',
        `    destination = 127.0.0.1:${vm.vars['VM_GRAPHITE_PORT']}`,
        '    data source = as collected',
        '    update every = 1',
        `    buffer on failures = ${BUFFER}`,
        '    timeout ms = 1000',
        '[prometheus_remote_write:rw]',
        '    enabled = yes',
        `    destination = 127.0.0.1:${vm.vars['VM_HTTP_PORT']}`,
        '    remote write URL path = /api/v1/write',
        '    update every = 2',
        `    buffer on failures = ${RW_BUFFER}`,
        '    timeout ms = 1000',
        '',
      ].join('\n'),
    );
    const healthPort = await freePort();
    const grpcPort = await freePort();
    app = await startApp(
      'exporter',
      { HEALTH_PORT: String(healthPort), GRPC_LISTEN: `127.0.0.1:${grpcPort}`, METRIC_STORE_ADDR: `127.0.0.1:${store.port}`, TRIBUTARY_CONFIG_DIR: dir },
      { healthPort },
    );
    client = new ExporterClient(`127.0.0.1:${grpcPort}`, credentials.createInsecure());
  }, 60000);

  afterAll(async () => {
    client?.close();
    stopFeed?.();
    await app?.stop();
    store.stop();
    vm?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps what fits the buffer, drops and counts the rest', async () => {
    await new Promise((r) => setTimeout(r, 5000));
    const before = await status();
    expect(before.connectors[0].sentPoints).toBeGreaterThan(0);
    expect(before.connectors[0].droppedPoints).toBe(0);
    expect(before.connectors[1].sentPoints).toBeGreaterThan(0);

    const vars = vm.vars;
    vm.stop(true);
    stoppedAt = Math.floor(Date.now() / 1000);
    await new Promise((r) => setTimeout(r, OUTAGE_S * 1000));
    const during = await status();
    expect(during.connectors[0].failedBatches).toBeGreaterThan(0);
    expect(during.connectors[0].lastError).toMatch(/ECONNREFUSED/);
    expect(during.connectors[0].bufferedPoints).toBe(BUFFER * 2);
    expect(during.connectors[1].failedBatches).toBeGreaterThan(0);
    expect(during.connectors[1].bufferedPoints).toBe(RW_BUFFER * 2);
    vm = startVictoria(vars);
    restartedAt = Math.floor(Date.now() / 1000);
    await new Promise((r) => setTimeout(r, 6000));

    const all = (await status()).connectors;
    const after = all[0];
    expect(after.bufferedPoints).toBe(0);
    // Batches made during the outage: about OUTAGE_S, BUFFER of them kept; 2 points (user, system) per batch.
    const droppedBatches = after.droppedPoints / 2;
    expect(Number.isInteger(droppedBatches)).toBe(true);
    expect(droppedBatches).toBeGreaterThanOrEqual(OUTAGE_S - BUFFER - 3);
    expect(droppedBatches).toBeLessThanOrEqual(OUTAGE_S - BUFFER + 3);
    expect(app.output()).toMatch(/buffer on failures \(20 batches\) is full: dropped the oldest batch/);

    const [s] = await vmExport(vm.vars['VM_HTTP_PORT'], '{__name__="netdata.child9.system.cpu.user"}');
    const ts = s.timestamps.map((t) => t / 1000).sort((a, b) => a - b);
    s.timestamps.forEach((t, i) => expect(s.values[i]).toBe(userRaw(t / 1000)));
    // Collected during the outage and delivered after the restart: the newest BUFFER batches, oldest lost.
    const inOutage = ts.filter((t) => t > stoppedAt + 1 && t < restartedAt - 1);
    expect(inOutage.length).toBeGreaterThanOrEqual(BUFFER - 3);
    expect(inOutage.length).toBeLessThanOrEqual(BUFFER + 1);
    expect(Math.min(...inOutage)).toBeGreaterThanOrEqual(restartedAt - BUFFER - 3);
    // And it keeps sending after the restart.
    expect(ts[ts.length - 1]).toBeGreaterThanOrEqual(restartedAt + 2);

    // Remote write (HTTP, every 2 s): ~30 batches during the outage, RW_BUFFER kept, the rest dropped and counted.
    const rw = all[1];
    expect(rw.bufferedPoints).toBe(0);
    const rwDropped = rw.droppedPoints / 2;
    expect(rwDropped).toBeGreaterThanOrEqual(OUTAGE_S / 2 - RW_BUFFER - 2);
    expect(rwDropped).toBeLessThanOrEqual(OUTAGE_S / 2 - RW_BUFFER + 2);
    const [avg] = await vmExport(vm.vars['VM_HTTP_PORT'], '{__name__="netdata_system_cpu_percentage_average",dimension="user"}');
    const windows = avg.timestamps.map((t) => t / 1000).filter((t) => t > stoppedAt + 1 && t < restartedAt - 4);
    expect(windows.length).toBeGreaterThanOrEqual(RW_BUFFER - 2);
    expect(windows.length).toBeLessThanOrEqual(RW_BUFFER + 1);
  }, 110000);
});
