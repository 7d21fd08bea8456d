// `npm start`: the whole stack on one machine. Config is validated once here and again by each app at its boot.
import { ConfigError, generateApiKey, loadTributaryConfig, writeDefaultStreamConf } from '@tributary/config';
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { AppSupervisor } from './app.supervisor';
import { RunningPostgres, startPostgresProcess } from './postgres.process';
import { stackApps, stackPorts } from './stack.plan';

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

function lanAddress(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

/** The workspace root (holding nx.json): config/, data/ and dist/ are relative to it. */
function workspaceRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'nx.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

async function main(): Promise<void> {
  const root = workspaceRoot();
  const configDir = resolve(process.env['TRIBUTARY_CONFIG_DIR'] ?? join(root, 'config'));
  const dataDir = resolve(process.env['TRIBUTARY_DATA_DIR'] ?? join(root, 'data'));
  const firstKey = generateApiKey();
  if (writeDefaultStreamConf(join(configDir, 'stream.conf'), firstKey)) {
    log(`[launcher] first start: wrote ${join(configDir, 'stream.conf')} with a new API key`);
  }
  let config;
  try {
    config = loadTributaryConfig(configDir);
  } catch (e) {
    if (e instanceof ConfigError) {
      log(`[launcher] invalid configuration:\n${e.message}`);
      process.exit(78);
    }
    throw e;
  }
  for (const w of config.warnings) log(`[launcher] config warning: ${w.message}`);

  log(`[launcher] pid ${process.pid}`);
  const publicPort = Number(process.env['TRIBUTARY_PORT'] ?? config.netdata.web.defaultPort);
  const ports = stackPorts(publicPort);
  let pg: RunningPostgres | undefined;
  let databaseUrl = process.env['DATABASE_URL'];
  if (!databaseUrl) {
    pg = await startPostgresProcess(dataDir, (l) => log(`[launcher] ${l}`));
    databaseUrl = pg.url;
  }
  const shared = { DATABASE_URL: databaseUrl, TRIBUTARY_CONFIG_DIR: configDir, TRIBUTARY_DATA_DIR: dataDir };
  const supervisors = stackApps(join(root, 'dist'), ports, shared).map((spec) => ({
    spec,
    sup: new AppSupervisor(spec, log),
  }));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`[launcher] ${signal}: stopping (stream-ingest first, metric-store flushes last)`);
    for (const { sup } of [...supervisors].reverse()) await sup.stop();
    if (pg) await pg.stop();
    log('[launcher] stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  // metric-store first (it migrates the schema); the others need no order: their gRPC clients reconnect.
  const [store, ...rest] = supervisors;
  store?.sup.start();
  await store?.sup.waitReady(120_000);
  log('[launcher] metric-store ready');
  for (const { sup } of rest) sup.start();
  await Promise.all(
    rest.map(async ({ spec, sup }) => {
      try {
        await sup.waitReady(60_000);
        log(`[launcher] ${spec.name} ready`);
      } catch (e) {
        log(`[launcher] warning: ${e instanceof Error ? e.message : String(e)}; it keeps running and may become ready later`);
      }
    }),
  );

  const keys = [...config.stream.sections.values()].filter((s) => s.enabled === true && (s.type ?? 'api') === 'api');
  const host = lanAddress();
  log('');
  log(`Tributary is running. Dashboard: http://${host}:${publicPort}/  (also http://localhost:${publicPort}/)`);
  log(`To stream a Netdata child here, put this in the child's stream.conf:`);
  log('  [stream]');
  log('      enabled = yes');
  log(`      destination = ${host}:${publicPort}`);
  log(`      api key = ${keys[0]?.guid ?? '<an API key enabled in config/stream.conf>'}`);
  log('Ctrl-C stops everything cleanly.');
}

main().catch((e: unknown) => {
  log(`[launcher] failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
});
