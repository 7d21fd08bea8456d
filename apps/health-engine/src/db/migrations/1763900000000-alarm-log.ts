import { MigrationInterface, QueryRunner } from 'typeorm';

export class AlarmLog1763900000000 implements MigrationInterface {
  name = 'AlarmLog1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE health_alarm_log (
      machine_guid text NOT NULL,
      unique_id bigint NOT NULL,
      hostname text NOT NULL,
      alarm_id bigint NOT NULL,
      alarm_event_id bigint NOT NULL,
      name text NOT NULL,
      chart text NOT NULL,
      family text NOT NULL,
      "when" bigint NOT NULL,
      duration integer NOT NULL,
      non_clear_duration integer NOT NULL,
      status text NOT NULL,
      old_status text NOT NULL,
      value double precision,
      old_value double precision,
      units text NOT NULL,
      info text NOT NULL,
      exec text NOT NULL,
      recipient text NOT NULL,
      processed boolean NOT NULL,
      updated boolean NOT NULL,
      notified boolean NOT NULL,
      exec_code integer NOT NULL,
      delay integer NOT NULL,
      delay_up_to_timestamp bigint NOT NULL,
      updated_by_id bigint NOT NULL,
      updates_id bigint NOT NULL,
      no_clear_notification boolean NOT NULL,
      PRIMARY KEY (machine_guid, unique_id))`);
    await q.query(`CREATE INDEX health_alarm_log_alarm ON health_alarm_log (machine_guid, alarm_id, unique_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE health_alarm_log`);
  }
}
