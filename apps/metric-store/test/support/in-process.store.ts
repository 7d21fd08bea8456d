import { freePort } from '@tributary/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStoreConfig, type StoreConfig } from '../../src/config/store.config';
import { StoreRuntime } from '../../src/store.runtime';

/** metric-store's runtime in the test process: real PostgreSQL, real gRPC on a free port. */
export async function startInProcess(databaseUrl: string, env: Record<string, string> = {}, dataDir?: string): Promise<{
  runtime: StoreRuntime;
  port: number;
  config: StoreConfig;
  dataDir: string;
  stop(removeData?: boolean): Promise<void>;
}> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'ms-test-'));
  const port = await freePort();
  const config = loadStoreConfig({
    DATABASE_URL: databaseUrl,
    TRIBUTARY_DATA_DIR: dir,
    TRIBUTARY_CONFIG_DIR: join(dir, 'no-config'),
    GRPC_LISTEN: `127.0.0.1:${port}`,
    HEALTH_PORT: '0',
    ...env,
  });
  const runtime = new StoreRuntime(config);
  await runtime.start();
  return {
    runtime,
    port,
    config,
    dataDir: dir,
    async stop(removeData = false) {
      await runtime.stop();
      if (removeData) rmSync(dir, { recursive: true, force: true });
    },
  };
}
