import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE hosts (
      id integer PRIMARY KEY,
      machine_guid text NOT NULL,
      hostname text NOT NULL,
      info jsonb NOT NULL,
      memory_mode text NOT NULL,
      history_seconds integer NOT NULL,
      online boolean NOT NULL DEFAULT false,
      first_seen_ms bigint NOT NULL,
      last_seen_ms bigint NOT NULL,
      state_since_ms bigint NOT NULL,
      peer text NOT NULL DEFAULT '',
      last_disconnect_reason text NOT NULL DEFAULT '')`);
    await q.query(`CREATE UNIQUE INDEX hosts_machine_guid ON hosts (machine_guid)`);
    await q.query(`CREATE TABLE host_labels (
      host_id integer NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
      name text NOT NULL,
      value text NOT NULL,
      PRIMARY KEY (host_id, name))`);
    await q.query(`CREATE TABLE charts (
      id integer PRIMARY KEY,
      host_id integer NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
      chart_id text NOT NULL,
      name text NOT NULL,
      definition jsonb NOT NULL,
      update_every integer NOT NULL,
      obsolete boolean NOT NULL DEFAULT false)`);
    await q.query(`CREATE UNIQUE INDEX charts_host_chart ON charts (host_id, chart_id)`);
    await q.query(`CREATE TABLE chart_labels (
      chart_id integer NOT NULL REFERENCES charts(id) ON DELETE CASCADE,
      name text NOT NULL,
      value text NOT NULL,
      PRIMARY KEY (chart_id, name))`);
    await q.query(`CREATE TABLE dimensions (
      id integer PRIMARY KEY,
      chart_id integer NOT NULL REFERENCES charts(id) ON DELETE CASCADE,
      dim_id text NOT NULL,
      name text NOT NULL,
      algorithm text NOT NULL,
      multiplier bigint NOT NULL,
      divisor bigint NOT NULL,
      options text NOT NULL DEFAULT '',
      position integer NOT NULL)`);
    await q.query(`CREATE UNIQUE INDEX dimensions_chart_dim ON dimensions (chart_id, dim_id)`);
    await q.query(`CREATE TABLE variables (
      host_id integer NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
      chart_id text NOT NULL,
      name text NOT NULL,
      value double precision NOT NULL,
      PRIMARY KEY (host_id, chart_id, name))`);
    await q.query(`CREATE TABLE pages (
      id bigserial PRIMARY KEY,
      dimension_id integer NOT NULL REFERENCES dimensions(id) ON DELETE CASCADE,
      start_s integer NOT NULL,
      end_s integer NOT NULL,
      points integer NOT NULL,
      data bytea NOT NULL)`);
    await q.query(`CREATE INDEX pages_dimension_end ON pages (dimension_id, end_s)`);
    // Pages are already compressed: skip pglz's futile attempt but still allow out-of-line storage.
    await q.query(`ALTER TABLE pages ALTER COLUMN data SET STORAGE EXTERNAL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['pages', 'variables', 'dimensions', 'chart_labels', 'charts', 'host_labels', 'hosts']) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
