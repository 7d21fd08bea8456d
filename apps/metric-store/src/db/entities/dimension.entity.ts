import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ChartEntity } from './chart.entity';

@Entity({ name: 'dimensions' })
@Index('dimensions_chart_dim', ['chartId', 'dimId'], { unique: true })
export class DimensionEntity {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ name: 'chart_id', type: 'integer' })
  chartId!: number;

  @Column({ name: 'dim_id', type: 'text' })
  dimId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  algorithm!: string;

  @Column({ type: 'bigint' })
  multiplier!: string;

  @Column({ type: 'bigint' })
  divisor!: string;

  @Column({ type: 'text', default: '' })
  options!: string;

  /** Order of the dimension in its chart definition (dimension_index of the stream). */
  @Column({ type: 'integer' })
  position!: number;

  @ManyToOne(() => ChartEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'chart_id', foreignKeyConstraintName: 'dimensions_chart_id_fkey' })
  chart?: ChartEntity;
}
