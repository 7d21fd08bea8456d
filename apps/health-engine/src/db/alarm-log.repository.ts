// PostgreSQL side of the alarm log (TypeORM). Its own migrations table, so it can share a database with
// metric-store.
import { DataSource } from 'typeorm';
import { AlarmLogPersistence } from '../log/alarm.log';
import { AlarmLogRecord } from '../log/alarm-log.record';
import { AlarmLogEntity } from './alarm-log.entity';
import { AlarmLog1763900000000 } from './migrations/1763900000000-alarm-log';

export function createHealthDataSource(url: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: [AlarmLogEntity],
    migrations: [AlarmLog1763900000000],
    migrationsTableName: 'health_engine_migrations',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    extra: { max: 4, connectionTimeoutMillis: 3000, idleTimeoutMillis: 10000 },
  });
}

export class AlarmLogRepository implements AlarmLogPersistence {
  constructor(private readonly ds: DataSource) {}

  async loadRecent(perHost: number): Promise<AlarmLogRecord[]> {
    const rows: AlarmLogEntity[] = await this.ds
      .getRepository(AlarmLogEntity)
      .createQueryBuilder('l')
      .where(
        `l.unique_id IN (SELECT unique_id FROM (SELECT unique_id, row_number() OVER (PARTITION BY machine_guid ORDER BY unique_id DESC) AS rn FROM health_alarm_log) r WHERE r.rn <= :n)`,
        { n: perHost },
      )
      .orderBy('l.unique_id', 'ASC')
      .getMany();
    return rows.map((r) => ({ ...r }));
  }

  async save(entries: AlarmLogRecord[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = entries.map((e) => {
      const r = new AlarmLogEntity();
      Object.assign(r, e);
      return r;
    });
    for (let i = 0; i < rows.length; i += 500) {
      await this.ds
        .createQueryBuilder()
        .insert()
        .into(AlarmLogEntity)
        .values(rows.slice(i, i + 500))
        .orUpdate(
          ['processed', 'updated', 'notified', 'exec_code', 'updated_by_id', 'updates_id'],
          ['machine_guid', 'unique_id'],
        )
        .execute();
    }
  }
}
