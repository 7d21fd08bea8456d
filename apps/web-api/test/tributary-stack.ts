import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, freePort, RunningApp, startApp, TestDatabase } from '@tributary/testing';

/** metric-store + stream-ingest + web-api as separate processes, as deployed; children stream to `publicPort`. */
export interface TributaryStack {
  apiKey: string;
  publicPort: number;
  webApiUrl: string;
  publicUrl: string;
  configDir: string;
  apps: RunningApp[];
  stop(): Promise<void>;
  logs(): string;
}

export interface StackOptions {
  /** Also run health-engine (stock alarms) and exporter, so web-api's alarms and prometheus answers are real. */
  healthAndExporter?: boolean;
}

export async function startTributaryStack(apiKey: string, parentHostname: string, opts: StackOptions = {}): Promise<TributaryStack> {
  const db: TestDatabase = await createTestDatabase('webapi');
  const configDir = mkdtempSync(join(tmpdir(), 'web-api-stack-conf-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'web-api-stack-data-'));
  const [publicPort, webPort, storeGrpc, storeHealth, ingestGrpc, ingestHealth, healthGrpc, healthHealth, exporterGrpc, exporterHealth] =
    await Promise.all(Array.from({ length: 10 }, () => freePort()));
  // Plain TCP only: empty TLS files say so explicitly (netdata.conf's defaults point into CONFIG_DIR/ssl/).
  writeFileSync(
    join(configDir, 'netdata.conf'),
    `[global]\n    hostname = ${parentHostname}\n[web]\n    default port = ${publicPort}\n    ssl key =\n    ssl certificate =\n`,
  );
  writeFileSync(join(configDir, 'stream.conf'), `[${apiKey}]\n    enabled = yes\n    allow from = *\n    default memory mode = dbengine\n`);
  const common = {
    TRIBUTARY_CONFIG_DIR: configDir,
    TRIBUTARY_DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    METRIC_STORE_ADDR: `127.0.0.1:${storeGrpc}`,
    STREAM_INGEST_ADDR: `127.0.0.1:${ingestGrpc}`,
    // Without health-engine and exporter web-api must answer 503 for them, not hang.
    HEALTH_ENGINE_ADDR: opts.healthAndExporter ? `127.0.0.1:${healthGrpc}` : '127.0.0.1:1',
    EXPORTER_ADDR: opts.healthAndExporter ? `127.0.0.1:${exporterGrpc}` : '127.0.0.1:1',
    WEB_API_URL: `http://127.0.0.1:${webPort}`,
    WEB_API_LISTEN: `127.0.0.1:${webPort}`,
    TRIBUTARY_PORT: String(publicPort),
  };
  const apps: RunningApp[] = [];
  const stop = async () => {
    for (const app of apps.reverse()) await app.stop().catch(() => undefined);
    await db.drop().catch(() => undefined);
  };
  try {
    apps.push(await startApp('metric-store', { ...common, GRPC_LISTEN: `127.0.0.1:${storeGrpc}`, HEALTH_PORT: String(storeHealth) }, { healthPort: storeHealth }));
    if (opts.healthAndExporter) {
      // Their /readyz waits for a first metric-store event, which needs a child: wait for their gRPC listener instead.
      const [health, exporter] = await Promise.all([
        startApp('health-engine', { ...common, GRPC_LISTEN: `127.0.0.1:${healthGrpc}`, HEALTH_PORT: String(healthHealth) }),
        startApp('exporter', { ...common, GRPC_LISTEN: `127.0.0.1:${exporterGrpc}`, HEALTH_PORT: String(exporterHealth) }),
      ]);
      apps.push(health, exporter);
      await Promise.all([health.waitForOutput(/listening/i, 60000), exporter.waitForOutput(/listening/i, 60000)]);
    }
    apps.push(await startApp('web-api', common, { healthPort: webPort }));
    apps.push(await startApp('stream-ingest', { ...common, GRPC_LISTEN: `127.0.0.1:${ingestGrpc}`, HEALTH_PORT: String(ingestHealth) }, { healthPort: ingestHealth }));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    apiKey,
    publicPort,
    webApiUrl: `http://127.0.0.1:${webPort}`,
    publicUrl: `http://127.0.0.1:${publicPort}`,
    configDir,
    apps,
    stop,
    logs: () => apps.map((a) => `----- ${a.name}\n${a.output().slice(-3000)}`).join('\n'),
  };
}
