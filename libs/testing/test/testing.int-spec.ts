import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, freePort, workspaceRoot } from '../src';

describe('@tributary/testing', () => {
  it('finds the workspace root', () => {
    expect(existsSync(join(workspaceRoot(), 'nx.json'))).toBe(true);
  });

  it('hands out a port that can be bound', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    await new Promise<void>((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => srv.close(() => resolve()));
    });
  });

  it('creates and drops an isolated database on the real PostgreSQL', async () => {
    const db = await createTestDatabase('testing_lib');
    const c = new Client({ connectionString: db.url });
    await c.connect();
    const r = await c.query<{ current_database: string }>('SELECT current_database()');
    await c.end();
    expect(r.rows[0]?.current_database).toBe(db.name);
    await db.drop();
    const admin = new Client({ connectionString: process.env['DATABASE_URL'] });
    await admin.connect();
    const left = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name]);
    await admin.end();
    expect(left.rowCount).toBe(0);
  });
});
