import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startApp } from '@tributary/testing';

/** web-api as its own process: ready without its peers, a stable parent GUID, a clean exit on SIGTERM. */
describe('web-api process', () => {
  it('starts without its peers, keeps its GUID across restarts and exits 0 on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'web-api-life-'));
    const port = await freePort();
    const env = {
      WEB_API_LISTEN: `127.0.0.1:${port}`,
      TRIBUTARY_DATA_DIR: dataDir,
      TRIBUTARY_CONFIG_DIR: join(dataDir, 'no-config'),
      METRIC_STORE_ADDR: '127.0.0.1:1',
      STREAM_INGEST_ADDR: '127.0.0.1:1',
      HEALTH_ENGINE_ADDR: '127.0.0.1:1',
      EXPORTER_ADDR: '127.0.0.1:1',
      WEB_API_RPC_TIMEOUT_MS: '1000',
    };
    const first = await startApp('web-api', env, { healthPort: port });
    const guid = readFileSync(join(dataDir, 'parent.guid'), 'utf8').trim();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/charts`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/metric-store is unreachable at 127\.0\.0\.1:1/);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(first.output()).toMatch(/SIGTERM received/);

    const second = await startApp('web-api', env, { healthPort: port });
    expect(readFileSync(join(dataDir, 'parent.guid'), 'utf8').trim()).toBe(guid);
    expect(second.output()).toContain(guid);
    expect(await second.stop('SIGINT')).toBe(0);
  }, 60000);

  it('refuses a malformed WEB_API_LISTEN with a clear message', async () => {
    const app = await startApp('web-api', { WEB_API_LISTEN: 'localhost:http', TRIBUTARY_DATA_DIR: mkdtempSync(join(tmpdir(), 'web-api-life-')) });
    await expect(app.waitForOutput(/never/, 10000)).rejects.toThrow(/exited \(1\)/);
    expect(app.output()).toMatch(/WEB_API_LISTEN: expected HOST:PORT, got 'localhost:http'/);
  }, 30000);
});
