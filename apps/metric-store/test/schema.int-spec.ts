import { createTestDatabase, type TestDatabase } from '@tributary/testing';
import { createStoreDataSource } from '../src/db/data-source.factory';

describe('metric-store schema (real PostgreSQL)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('ms_schema');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('migrations create exactly what the TypeORM entities describe', async () => {
    const ds = createStoreDataSource(db.url);
    await ds.initialize();
    try {
      const ran = await ds.runMigrations({ transaction: 'each' });
      expect(ran.map((m) => m.name)).toEqual(['InitialSchema1763800000000']);
      // What `synchronize` would change: nothing, when entities and migrations agree.
      const pending = await ds.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await ds.destroy();
    }
  });
});
