import type { MetricStoreClient } from '@tributary/protocol';
import { createTestDatabase, freePort, startApp, type RunningApp, type TestDatabase } from '@tributary/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, chart, columns, host, query, storeClient, table, Writer } from './support/store.client';

const GUID = 'dddddddd-0000-0000-0000-000000000001';

describe('metric-store process restarts (built app, real PostgreSQL)', () => {
  let db: TestDatabase;
  let dataDir: string;
  let app: RunningApp | undefined;
  let client: MetricStoreClient | undefined;
  let env: Record<string, string>;
  let grpcPort: number;
  let healthPort: number;
  const t0 = Math.floor(Date.now() / 1000) - 2000;
  const value = (t: number, d: number) => (d === 0 ? t % 50 : Math.cos(t) * 123.456);

  beforeAll(async () => {
    db = await createTestDatabase('ms_restart');
    dataDir = mkdtempSync(join(tmpdir(), 'ms-restart-'));
    grpcPort = await freePort();
    healthPort = await freePort();
    env = {
      DATABASE_URL: db.url,
      TRIBUTARY_DATA_DIR: dataDir,
      TRIBUTARY_CONFIG_DIR: join(dataDir, 'config'),
      GRPC_LISTEN: `127.0.0.1:${grpcPort}`,
      HEALTH_PORT: String(healthPort),
    };
  });

  afterAll(async () => {
    client?.close();
    await app?.stop();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60000);

  async function boot(): Promise<MetricStoreClient> {
    client?.close();
    app = await startApp('metric-store', env, { healthPort });
    client = storeClient(grpcPort);
    return client;
  }

  async function write(c: MetricStoreClient, from: number, to: number): Promise<void> {
    const w = new Writer(c);
    const first = await w.send({
      hosts: [host(GUID, 'restart-child', { historySeconds: 86400 })],
      states: [{ machineGuid: GUID, connected: true, atMs: Date.now(), reason: '', graceful: true, peer: '127.0.0.1:9', ingestId: 'x' }],
      charts: [{ machineGuid: GUID, chartIndex: 1, chart: chart('mem.ram', ['used', 'free']) }],
      variables: [{ machineGuid: GUID, chartId: 'mem.ram', name: 'ram_threshold', value: 80 }],
    });
    expect(first.error).toBe('');
    for (let t = from; t < to; t += 25) {
      const rows = [];
      for (let k = t; k < Math.min(t + 25, to); k++) rows.push({ chart: 1, dim: 0, t: k, v: value(k, 0) }, { chart: 1, dim: 1, t: k, v: value(k, 1) });
      const ack = await w.send({ samples: [columns(GUID, rows)] });
      expect(ack.error).toBe('');
    }
    await w.close();
  }

  async function expectData(c: MetricStoreClient, upTo: number): Promise<void> {
    const r = await api.query(c, query({ host: 'restart-child', chart: 'mem.ram', after: t0, before: upTo - 1 }));
    const rows = table(r);
    expect(rows).toHaveLength(upTo - t0);
    for (const [t, a, b] of rows) {
      expect(a).toBe(value(t, 0));
      expect(b).toBe(value(t, 1));
    }
  }

  it('keeps hosts (offline) and data across a graceful restart', async () => {
    await write(await boot(), t0, t0 + 600);
    expect(await app?.stop('SIGTERM')).toBe(0);
    expect(app?.output()).toMatch(/every hot page flushed to PostgreSQL/);
    const c = await boot();
    const hosts = await api.listHosts(c);
    const h = hosts.hosts.find((x) => x.info?.machineGuid === GUID);
    expect(h?.online).toBe(false);
    expect(h?.info?.hostname).toBe('restart-child');
    expect(h?.charts).toBe(1);
    expect(h?.info?.labels).toEqual({ _os_name: 'Debian' });
    const charts = await api.listCharts(c, GUID);
    expect(charts.charts[0].labels).toEqual({ source: 'test' });
    expect(charts.variables).toEqual([{ machineGuid: GUID, chartId: 'mem.ram', name: 'ram_threshold', value: 80 }]);
    await expectData(c, t0 + 600);
  }, 120000);

  it('loses nothing acknowledged when killed (journal replay)', async () => {
    await write(client as MetricStoreClient, t0 + 600, t0 + 900);
    await app?.kill();
    const c = await boot();
    expect(app?.output()).toMatch(/journal replay: \d+ segments, [1-9]\d* points restored/);
    await expectData(c, t0 + 900);
  }, 120000);
});
