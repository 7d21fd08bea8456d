import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, RunningApp, stackLayout, TestDatabase } from '@tributary/testing';

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
  const layout = await stackLayout({ configDir, dataDir }, db.url, opts.healthAndExporter ? [] : ['health-engine', 'exporter']);
  const { publicPort, webPort } = layout;
  // Plain TCP only: empty TLS files say so explicitly (netdata.conf's defaults point into CONFIG_DIR/ssl/).
  writeFileSync(
    join(configDir, 'netdata.conf'),
    `[global]\n    hostname = ${parentHostname}\n[web]\n    default port = ${publicPort}\n    ssl key =\n    ssl certificate =\n`,
  );
  writeFileSync(join(configDir, 'stream.conf'), `[${apiKey}]\n    enabled = yes\n    allow from = *\n    default memory mode = dbengine\n`);
  const apps: RunningApp[] = [];
  const stop = async () => {
    for (const app of apps.reverse()) await app.stop().catch(() => undefined);
    await db.drop().catch(() => undefined);
  };
  try {
    apps.push(await layout.start('metric-store'));
    if (opts.healthAndExporter) {
      // Their /readyz waits for a first metric-store event, which needs a child: wait for their gRPC listener instead.
      const [health, exporter] = await Promise.all([layout.start('health-engine', { ready: false }), layout.start('exporter', { ready: false })]);
      apps.push(health, exporter);
      await Promise.all([health.waitForOutput(/listening/i, 60000), exporter.waitForOutput(/listening/i, 60000)]);
    }
    apps.push(await layout.start('web-api'));
    apps.push(await layout.start('stream-ingest'));
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
