import type { StoreName } from '#app/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type StoreProgressStatus = 'pending' | 'processing' | 'done' | 'failed';

/** A request's progress in one store: the sum of its chunks (docs/ARCHITECTURE.md, "Progress"). */
@Entity({ name: 'deletion_request_stores' })
export class DeletionRequestStoreEntity {
  @PrimaryColumn({ name: 'request_id', type: 'bigint' })
  requestId!: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  store!: StoreName;

  @Column({ type: 'integer' })
  run!: number;

  @Column({ type: 'varchar', length: 16 })
  status!: StoreProgressStatus;

  @Column({ type: 'integer' })
  chunks!: number;

  @Column({ type: 'integer' })
  matched!: number;

  @Column({ type: 'integer' })
  erased!: number;

  @Column({ name: 'not_found', type: 'integer' })
  notFound!: number;

  @Column({ type: 'integer' })
  deferred!: number;

  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'verified_rows', type: 'integer' })
  verifiedRows!: number;

  @Column({ name: 'verified_at', type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;
}
