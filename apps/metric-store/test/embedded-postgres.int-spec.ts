import { freePort, startApp, type RunningApp } from '@tributary/testing';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, chart, columns, host, query, storeClient, table, Writer } from './support/store.client';

const GUID = 'eeeeeeee-0000-0000-0000-000000000001';

describe('metric-store without DATABASE_URL (embedded PostgreSQL under the data dir)', () => {
  let dataDir: string;
  let app: RunningApp | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ms-embedded-'));
    chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as user postgres when tests run as root
  });

  afterAll(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60000);

  it('starts its own PostgreSQL, keeps data across a graceful restart and stops it on SIGTERM', async () => {
    const grpcPort = await freePort();
    const healthPort = await freePort();
    const env = {
      DATABASE_URL: '',
      TRIBUTARY_DATA_DIR: dataDir,
      TRIBUTARY_CONFIG_DIR: join(dataDir, 'config'),
      GRPC_LISTEN: `127.0.0.1:${grpcPort}`,
      HEALTH_PORT: String(healthPort),
    };
    app = await startApp('metric-store', env, { healthPort, timeoutMs: 90000 });
    expect(app.output()).toMatch(/embedded PostgreSQL listening/);
    expect(existsSync(join(dataDir, 'postgres', 'PG_VERSION'))).toBe(true);
    const c = storeClient(grpcPort);
    const t0 = Math.floor(Date.now() / 1000) - 30;
    const w = new Writer(c);
    const ack = await w.send({
      hosts: [host(GUID, 'embedded-child')],
      charts: [{ machineGuid: GUID, chartIndex: 0, chart: chart('e.chart', ['v']) }],
      samples: [columns(GUID, Array.from({ length: 30 }, (_, i) => ({ chart: 0, dim: 0, t: t0 + i, v: i })))],
    });
    expect(ack.error).toBe('');
    await w.close();
    expect(await app.stop('SIGTERM')).toBe(0);
    expect(app.output()).toMatch(/every hot page flushed to PostgreSQL[\s\S]*stopped/);

    app = await startApp('metric-store', env, { healthPort, timeoutMs: 90000 });
    const rows = table(await api.query(c, query({ host: 'embedded-child', chart: 'e.chart', after: t0, before: t0 + 29 })));
    expect(rows.map((r) => r[1])).toEqual(Array.from({ length: 30 }, (_, i) => i));
    c.close();
    expect(await app.stop('SIGTERM')).toBe(0);
  }, 180000);
});
