import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { HostEntity } from './host.entity';

@Entity({ name: 'host_labels' })
export class HostLabelEntity {
  @PrimaryColumn({ name: 'host_id', type: 'integer' })
  hostId!: number;

  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  value!: string;

  @ManyToOne(() => HostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'host_labels_host_id_fkey' })
  host?: HostEntity;
}
