/**
 * npm run bench:store-live — bytes per sample on disk for real Netdata 1.37.1 children streaming through
 * stream-ingest into metric-store (what an operator's parent stores), as opposed to bench:store's replayed fixture.
 * Env: BENCH_CHILDREN (4), BENCH_MINUTES (20: pages seal when full, 1024 points, or 15 min old), DATABASE_URL (else
 * an embedded PostgreSQL), ND_LAB_DIR for the children (/tmp/netdata-lab-store-live).
 * Prints the pages table size over the points it holds, for every page and for full pages only (steady state).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { createBenchDatabase, freePort } from './bench.database';

const CHILDREN = Number(process.env['BENCH_CHILDREN'] ?? 4);
const MINUTES = Number(process.env['BENCH_MINUTES'] ?? 20);
const API_KEY = 'b0b0b0b0-0000-4000-8000-00000000be11';
const LAB = process.env['ND_LAB_DIR'] ?? '/tmp/netdata-lab-store-live';

const root = resolve(__dirname, '../../../../../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sharedTools(): string {
  const shared = process.env['TRIBUTARY_SHARED_DIR'] ?? resolve(root, '../shared');
  const dir = join(shared, 'tools', 'netdata-child');
  if (!existsSync(join(dir, 'start-child.sh'))) throw new Error(`netdata lab tools not found in ${dir}`);
  return dir;
}

async function startApp(name: string, env: Record<string, string>, healthPort: number): Promise<ChildProcess> {
  execFileSync(process.execPath, [join(root, 'tools/scripts/build.mjs'), `apps/${name}`], { cwd: root, stdio: 'ignore' });
  const p = spawn(process.execPath, [join(root, 'dist/apps', name, 'apps', name, 'src/main.js')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  process.once('exit', () => p.exitCode === null && p.kill('SIGKILL'));
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${healthPort}/readyz`)).status === 200) return p;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`${name} did not become ready`);
}

async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null) return;
  const done = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await done;
}

async function main(): Promise<void> {
  const database = await createBenchDatabase('bench_live');
  const dir = database.dir;
  const dbUrl = database.url;

  const [publicPort, storeGrpc, storeHealth, ingestGrpc, ingestHealth] = await Promise.all(Array.from({ length: 5 }, () => freePort()));
  const configDir = join(dir, 'config');
  mkdirSync(configDir);
  writeFileSync(join(configDir, 'netdata.conf'), `[global]\n    hostname = live-bench-parent\n[web]\n    default port = ${publicPort}\n`);
  writeFileSync(join(configDir, 'stream.conf'), `[${API_KEY}]\n    enabled = yes\n    allow from = *\n    default memory mode = dbengine\n    default history = 86400\n`);
  const common = {
    DATABASE_URL: dbUrl,
    TRIBUTARY_CONFIG_DIR: configDir,
    TRIBUTARY_DATA_DIR: join(dir, 'data'),
    METRIC_STORE_ADDR: `127.0.0.1:${storeGrpc}`,
    WEB_API_URL: 'http://127.0.0.1:1',
    TRIBUTARY_PORT: String(publicPort),
  };
  const store = await startApp('metric-store', { ...common, GRPC_LISTEN: `127.0.0.1:${storeGrpc}`, HEALTH_PORT: String(storeHealth) }, storeHealth);
  const ingest = await startApp('stream-ingest', { ...common, GRPC_LISTEN: `127.0.0.1:${ingestGrpc}`, HEALTH_PORT: String(ingestHealth) }, ingestHealth);
  const tools = sharedTools();
  const env = { ...process.env, ND_LAB_DIR: LAB };
  const names = Array.from({ length: CHILDREN }, (_, i) => `store-live-${i}`);
  try {
    for (const n of names) execFileSync(join(tools, 'start-child.sh'), [n, `127.0.0.1:${publicPort}`, API_KEY], { env, stdio: 'ignore' });
    console.log(`${CHILDREN} real Netdata 1.37.1 children streaming for ${MINUTES} min ...`);
    for (let m = 1; m <= MINUTES; m++) {
      await sleep(60_000);
      console.log(`  ${m} min`);
    }
  } finally {
    execFileSync(join(tools, 'stop-child.sh'), [...names, '--purge'], { env, stdio: 'ignore' });
    await stop(ingest);
    await stop(store); // graceful: every open page is flushed
  }

  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  const all = (
    await c.query<{ total: string; bytes: string; points: string; pages: string }>(
      `SELECT pg_total_relation_size('pages') AS total, coalesce(sum(octet_length(data)), 0) AS bytes,
              coalesce(sum(points), 0) AS points, count(*) AS pages FROM pages`,
    )
  ).rows[0];
  // Full pages are what a long-running parent holds almost exclusively; the partial ones are the last minutes.
  const full = (
    await c.query<{ bytes: string; points: string; pages: string }>(
      `SELECT coalesce(sum(octet_length(data)), 0) AS bytes, coalesce(sum(points), 0) AS points, count(*) AS pages
       FROM pages WHERE points >= 900`,
    )
  ).rows[0];
  await c.end();
  const points = Number(all.points);
  const perRow = Number(all.pages) > 0 ? (Number(all.total) - Number(all.bytes)) / Number(all.pages) : 0;
  console.log(`stored: ${points} points in ${all.pages} pages from ${CHILDREN} children`);
  console.log(
    `disk: pages table total ${all.total} B => ${(Number(all.total) / points).toFixed(3)} bytes/sample ` +
      `(page bytes alone ${(Number(all.bytes) / points).toFixed(3)}; ~${perRow.toFixed(0)} B per page of row, index and TOAST overhead)`,
  );
  const fullPoints = Number(full.points);
  if (fullPoints > 0) {
    const fullBytes = Number(full.bytes) + perRow * Number(full.pages);
    console.log(
      `steady state: ${full.pages} full pages (>= 900 points) hold ${fullPoints} points => ${(fullBytes / fullPoints).toFixed(3)} bytes/sample ` +
        `with the same per-page overhead (page bytes alone ${(Number(full.bytes) / fullPoints).toFixed(3)})`,
    );
  }
  await database.drop();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
