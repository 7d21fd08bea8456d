import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

// bigint columns come back as strings from pg; the transformer keeps them numbers (ids fit in 2^53).
const bigintNumber = { to: (v: number) => v, from: (v: string | number | null) => (v === null ? 0 : Number(v)) };
// NaN is a normal alarm value; PostgreSQL's double precision stores it natively.
const float = { to: (v: number) => v, from: (v: string | number | null) => (v === null ? NaN : Number(v)) };

@Entity({ name: 'health_alarm_log' })
@Index('health_alarm_log_alarm', ['machineGuid', 'alarmId', 'uniqueId'])
export class AlarmLogEntity {
  @PrimaryColumn({ name: 'machine_guid', type: 'text' })
  machineGuid!: string;

  @PrimaryColumn({ name: 'unique_id', type: 'bigint', transformer: bigintNumber })
  uniqueId!: number;

  @Column({ type: 'text' })
  hostname!: string;

  @Column({ name: 'alarm_id', type: 'bigint', transformer: bigintNumber })
  alarmId!: number;

  @Column({ name: 'alarm_event_id', type: 'bigint', transformer: bigintNumber })
  alarmEventId!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  chart!: string;

  @Column({ type: 'text' })
  family!: string;

  @Column({ type: 'bigint', transformer: bigintNumber })
  when!: number;

  @Column({ type: 'integer' })
  duration!: number;

  @Column({ name: 'non_clear_duration', type: 'integer' })
  nonClearDuration!: number;

  @Column({ type: 'text' })
  status!: string;

  @Column({ name: 'old_status', type: 'text' })
  oldStatus!: string;

  @Column({ type: 'double precision', transformer: float })
  value!: number;

  @Column({ name: 'old_value', type: 'double precision', transformer: float })
  oldValue!: number;

  @Column({ type: 'text' })
  units!: string;

  @Column({ type: 'text' })
  info!: string;

  @Column({ type: 'text' })
  exec!: string;

  @Column({ type: 'text' })
  recipient!: string;

  @Column({ type: 'boolean' })
  processed!: boolean;

  @Column({ type: 'boolean' })
  updated!: boolean;

  @Column({ type: 'boolean' })
  notified!: boolean;

  @Column({ name: 'exec_code', type: 'integer' })
  execCode!: number;

  @Column({ type: 'integer' })
  delay!: number;

  @Column({ name: 'delay_up_to_timestamp', type: 'bigint', transformer: bigintNumber })
  delayUpToTimestamp!: number;

  @Column({ name: 'updated_by_id', type: 'bigint', transformer: bigintNumber })
  updatedById!: number;

  @Column({ name: 'updates_id', type: 'bigint', transformer: bigintNumber })
  updatesId!: number;

  @Column({ name: 'no_clear_notification', type: 'boolean' })
  noClearNotification!: boolean;
}
