import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ChartEntity } from './chart.entity';

@Entity({ name: 'chart_labels' })
export class ChartLabelEntity {
  @PrimaryColumn({ name: 'chart_id', type: 'integer' })
  chartId!: number;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  value!: string;

  @ManyToOne(() => ChartEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'chart_id', foreignKeyConstraintName: 'chart_labels_chart_id_fkey' })
  chart?: ChartEntity;
}
