import { DataSource } from 'typeorm';
import { STORE_ENTITIES } from './entities';
import { InitialSchema1763800000000 } from './migrations/1763800000000-initial-schema';

export const STORE_MIGRATIONS = [InitialSchema1763800000000];

/** The store's connection: migrations run at boot, never `synchronize`. */
export function createStoreDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: STORE_ENTITIES,
    migrations: STORE_MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: { max: 6, connectionTimeoutMillis: 3000, idleTimeoutMillis: 10000 },
  });
}
