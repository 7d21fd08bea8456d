import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { HostEntity } from './host.entity';

/** Host and chart custom variables (VARIABLE lines): data that exists independently of any alarm. */
@Entity({ name: 'variables' })
export class VariableEntity {
  @PrimaryColumn({ name: 'host_id', type: 'integer' })
  hostId!: number;

  /** Empty for a host variable. */
  @PrimaryColumn({ name: 'chart_id', type: 'text' })
  chartId!: string;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ type: 'double precision' })
  value!: number;

  @ManyToOne(() => HostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'variables_host_id_fkey' })
  host?: HostEntity;
}
