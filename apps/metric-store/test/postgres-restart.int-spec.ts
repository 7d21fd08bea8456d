import type { MetricStoreClient } from '@tributary/protocol';
import { freePort, startApp } from '@tributary/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricStore } from '../src/store/metric.store';
import { startInProcess } from './support/in-process.store';
import { PgInstance } from './support/pg-instance';
import { api, chart, columns, host, query, storeClient, table, Writer } from './support/store.client';

const GUID = 'cccccccc-0000-0000-0000-000000000001';

async function until(pred: () => Promise<boolean> | boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('metric-store across a PostgreSQL restart (embedded PostgreSQL stopped and started)', () => {
  let pg: PgInstance;
  let store: Awaited<ReturnType<typeof startInProcess>> | undefined;
  let client: MetricStoreClient;

  beforeAll(async () => {
    pg = await PgInstance.start();
  }, 90000);

  afterAll(async () => {
    client?.close();
    await store?.stop(true);
    await pg?.quit();
  }, 60000);

  it('holds writes while the database is down, answers reads UNAVAILABLE, and loses nothing acknowledged', async () => {
    store = await startInProcess(pg.url, { TRIBUTARY_PAGE_POINTS: '20', TRIBUTARY_MAINTENANCE_INTERVAL_MS: '200' });
    client = storeClient(store.port);
    const w = new Writer(client);
    expect(
      (
        await w.send({
          hosts: [host(GUID, 'pg-child')],
          charts: [{ machineGuid: GUID, chartIndex: 0, chart: chart('apps.cpu', ['a', 'b', 'c']) }],
        })
      ).error,
    ).toBe('');
    const t0 = Math.floor(Date.now() / 1000) - 1000;
    const acked: number[] = [];
    const value = (t: number, d: number) => (d === 0 ? t % 1000 : d === 1 ? (t % 77) / 8 : Math.sqrt(t) * 1e-3);
    let t = t0;
    const writeSeconds = async (n: number) => {
      for (let k = 0; k < n; k++, t++) {
        const ack = await w.send({ samples: [columns(GUID, [0, 1, 2].map((d) => ({ chart: 0, dim: d, t, v: value(t, d) })))] });
        if (ack.error === '') acked.push(t);
        await new Promise((r) => setImmediate(r));
      }
    };

    await writeSeconds(150);
    await pg.stop();
    await writeSeconds(150);
    const core = store.runtime.store as MetricStore;
    await until(() => !core.databaseUp, 10000, 'the store to notice the outage');
    expect(core.heldBytes).toBeGreaterThan(0);
    await expect(api.query(client, query({ host: 'pg-child', chart: 'apps.cpu', after: t0, before: t }))).rejects.toMatchObject({
      code: 14,
      details: expect.stringMatching(/database unavailable/),
    });
    const status = await api.status(client);
    expect(status.databaseUp).toBe(false);
    expect(status.databaseError).not.toBe('');
    // Keep writing through a few seconds of outage: flush retries fail meanwhile, acks keep coming.
    const downUntil = Date.now() + 2500;
    while (Date.now() < downUntil) {
      await writeSeconds(10);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(core.databaseUp).toBe(false);
    await pg.restart();
    await writeSeconds(150);
    await until(() => core.databaseUp, 20000, 'the store to reconnect');
    const total = t - t0;
    expect(acked.length).toBe(total);
    await w.close();

    // Graceful restart of metric-store too: everything acknowledged must come back from PostgreSQL.
    const dataDir = store.dataDir;
    client.close();
    await store.stop();
    store = await startInProcess(pg.url, {}, dataDir);
    client = storeClient(store.port);
    const r = await api.query(client, query({ host: 'pg-child', chart: 'apps.cpu', after: t0, before: t - 1 }));
    const rows = table(r);
    expect(rows).toHaveLength(total);
    rows.forEach((row, i) => {
      expect(row[0]).toBe(acked[i]);
      expect(row.slice(1)).toEqual([0, 1, 2].map((d) => value(row[0], d)));
    });
    const hosts = await api.listHosts(client);
    expect(hosts.hosts.find((h) => h.info?.machineGuid === GUID)?.online).toBe(false);
  }, 120000);

  it('replays hosts, charts and samples acknowledged while PostgreSQL was down after a crash of metric-store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ms-crash-'));
    const grpcPort = await freePort();
    const healthPort = await freePort();
    const env = {
      DATABASE_URL: pg.url,
      TRIBUTARY_DATA_DIR: dataDir,
      TRIBUTARY_CONFIG_DIR: join(dataDir, 'config'),
      GRPC_LISTEN: `127.0.0.1:${grpcPort}`,
      HEALTH_PORT: String(healthPort),
    };
    let app = await startApp('metric-store', env, { healthPort });
    const c = storeClient(grpcPort);
    try {
      await pg.stop();
      const guid = 'cccccccc-0000-0000-0000-0000000000c2';
      const w = new Writer(c);
      const t0 = Math.floor(Date.now() / 1000) - 100;
      // Host and chart are new: PostgreSQL has never seen them when the process dies.
      const ack = await w.send({
        hosts: [host(guid, 'outage-child')],
        charts: [{ machineGuid: guid, chartIndex: 0, chart: chart('outage.chart', ['x']) }],
        samples: [columns(guid, Array.from({ length: 50 }, (_, i) => ({ chart: 0, dim: 0, t: t0 + i, v: i * 1.25 })))],
      });
      expect(ack).toMatchObject({ rows: 50, error: '' });
      await app.kill();
      await pg.restart();
      app = await startApp('metric-store', env, { healthPort });
      expect(app.output()).toMatch(/journal replay: .* 50 points restored/);
      const r = await api.query(c, query({ host: 'outage-child', chart: 'outage.chart', after: t0, before: t0 + 49 }));
      expect(table(r).map((row) => row[1])).toEqual(Array.from({ length: 50 }, (_, i) => i * 1.25));
      const hosts = await api.listHosts(c);
      expect(hosts.hosts.find((h) => h.info?.machineGuid === guid)?.info?.hostname).toBe('outage-child');
    } finally {
      c.close();
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120000);
});
