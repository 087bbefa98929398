import { DeletionType, RequestStatus } from '#app/domain';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One deletion request: the source of truth for its lifecycle (docs/ARCHITECTURE.md, "Request lifecycle"). */
@Entity({ name: 'deletion_requests' })
@Index('deletion_requests_site_id_id', ['siteId', 'id'])
export class DeletionRequestEntity {
  /** bigint: comes back from `pg` as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'site_id', type: 'varchar', length: 20 })
  siteId!: string;

  @Column({ name: 'deletion_type', type: 'varchar', length: 16 })
  deletionType!: DeletionType;

  @Column({ name: 'subject_ids', type: 'text', array: true })
  subjectIds!: string[];

  /** The accepted body, as the string clients get back in `delete_json`. */
  @Column({ name: 'delete_json', type: 'text' })
  deleteJson!: string;

  @Column({ name: 'requested_by', type: 'varchar', length: 255 })
  requestedBy!: string;

  @Column({ name: 'request_time', type: 'timestamptz' })
  requestTime!: Date;

  @Column({ name: 'final_at', type: 'timestamptz' })
  finalAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  status!: RequestStatus;

  @Column({ name: 'is_canceled', type: 'boolean', default: false })
  isCanceled!: boolean;

  @Column({ name: 'cancelled_by', type: 'varchar', length: 255, nullable: true })
  cancelledBy!: string | null;

  @Column({ name: 'cancel_timestamp', type: 'timestamptz', nullable: true })
  cancelTimestamp!: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  /** Transactional-outbox marker: null until the orchestrator job is in Redis. */
  @Column({ name: 'enqueued_at', type: 'timestamptz', nullable: true })
  enqueuedAt!: Date | null;

  /** The HTTP request id that created it, carried into the jobs for log correlation. */
  @Column({ name: 'correlation_id', type: 'varchar', length: 128, nullable: true })
  correlationId!: string | null;

  /** 1 for the first fan-out, +1 per re-drive. */
  @Column({ type: 'integer', default: 1 })
  run!: number;

  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt!: Date | null;
}
