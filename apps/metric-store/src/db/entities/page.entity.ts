import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DimensionEntity } from './dimension.entity';

/** A run of points of one dimension, compressed by page.codec. One row per page, never one per sample. */
@Entity({ name: 'pages' })
@Index('pages_dimension_end', ['dimensionId', 'endS'])
export class PageEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'dimension_id', type: 'integer' })
  dimensionId!: number;

  @Column({ name: 'start_s', type: 'integer' })
  startS!: number;

  @Column({ name: 'end_s', type: 'integer' })
  endS!: number;

  @Column({ type: 'integer' })
  points!: number;

  @Column({ type: 'bytea' })
  data!: Buffer;

  @ManyToOne(() => DimensionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dimension_id', foreignKeyConstraintName: 'pages_dimension_id_fkey' })
  dimension?: DimensionEntity;
}
