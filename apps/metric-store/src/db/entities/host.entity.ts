import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A host the store has ever seen. Ids are allocated by metric-store (single writer), so writes never wait on the database. */
@Entity({ name: 'hosts' })
export class HostEntity {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Index('hosts_machine_guid', { unique: true })
  @Column({ name: 'machine_guid', type: 'text' })
  machineGuid!: string;

  @Column({ type: 'text' })
  hostname!: string;

  /** HostInfo as JSON (system info, versions, timezone...). Labels live in host_labels. */
  @Column({ type: 'jsonb' })
  info!: Record<string, unknown>;

  @Column({ name: 'memory_mode', type: 'text' })
  memoryMode!: string;

  @Column({ name: 'history_seconds', type: 'integer' })
  historySeconds!: number;

  @Column({ type: 'boolean', default: false })
  online!: boolean;

  @Column({ name: 'first_seen_ms', type: 'bigint' })
  firstSeenMs!: string;

  @Column({ name: 'last_seen_ms', type: 'bigint' })
  lastSeenMs!: string;

  @Column({ name: 'state_since_ms', type: 'bigint' })
  stateSinceMs!: string;

  @Column({ type: 'text', default: '' })
  peer!: string;

  @Column({ name: 'last_disconnect_reason', type: 'text', default: '' })
  lastDisconnectReason!: string;
}
