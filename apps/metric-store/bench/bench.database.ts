import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { launchEmbeddedPostgres, type EmbeddedPostgresHandle } from '@tributary/runtime';

/** A scratch directory and a fresh database on DATABASE_URL's server, else on an embedded PostgreSQL in that dir. */
export interface BenchDatabase {
  dir: string;
  url: string;
  drop(): Promise<void>;
}

export async function createBenchDatabase(prefix: string): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  chmodSync(dir, 0o755); // the embedded PostgreSQL runs as user postgres when we are root
  let embedded: EmbeddedPostgresHandle | undefined;
  let serverUrl = process.env['DATABASE_URL'];
  if (!serverUrl) {
    embedded = await launchEmbeddedPostgres(join(dir, 'pg'), 'postgres', () => undefined);
    serverUrl = embedded.url;
  }
  const dbName = `${prefix.replace(/\W/g, '_')}_${process.pid}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${dbName}`;
  return {
    dir,
    url: u.toString(),
    async drop() {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
      if (embedded) await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { freePort } from '@tributary/runtime';
