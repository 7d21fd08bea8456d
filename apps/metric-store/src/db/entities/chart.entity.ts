import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { HostEntity } from './host.entity';

@Entity({ name: 'charts' })
@Index('charts_host_chart', ['hostId', 'chartId'], { unique: true })
export class ChartEntity {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'host_id', type: 'integer' })
  hostId!: number;

  @Column({ name: 'chart_id', type: 'text' })
  chartId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** ChartDef without dimensions and labels, as JSON. */
  @Column({ type: 'jsonb' })
  definition!: Record<string, unknown>;

  @Column({ name: 'update_every', type: 'integer' })
  updateEvery!: number;

  @Column({ type: 'boolean', default: false })
  obsolete!: boolean;

  @ManyToOne(() => HostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'charts_host_id_fkey' })
  host?: HostEntity;
}
