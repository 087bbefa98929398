import { DeletionType, RequestStatus } from '#app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { And, DataSource, EntityManager, LessThan, MoreThanOrEqual, type FindOptionsWhere } from 'typeorm';
import { DeletionRequestEntity } from '../entities/deletion-request.entity.js';

export interface NewDeletionRequest {
  siteId: string;
  deletionType: DeletionType;
  subjectIds: string[];
  deleteJson: string;
  requestedBy: string;
  requestTime: Date;
  finalAt: Date;
  correlationId: string | null;
}

const MARK_BATCH_MS = 2;

/** One unit of one quota slot to take: see QuotaService. */
export interface QuotaTake {
  month: Date;
  slot: number;
  cap: number;
}

export interface QuotaTaken {
  request: DeletionRequestEntity;
  /** The month's use counting this request (as of the statement's snapshot). */
  monthUsed: number;
}

@Injectable()
export class DeletionRequestsRepository {
  private readonly pendingMarks = new Set<string>();
  private markBatch?: Promise<void>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction of the service database. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Records the request (marked not-yet-enqueued: the outbox marker) and takes one unit of one slot of the
   * month's quota, in one statement: both happen or neither, atomically, in one round trip. Null when that
   * slot is full. `manager`: run inside the caller's transaction (the Idempotency-Key path).
   */
  async insertTakingQuota(
    request: NewDeletionRequest,
    quota: QuotaTake,
    manager?: EntityManager,
  ): Promise<QuotaTaken | null> {
    const rows: Record<string, unknown>[] = await (manager ?? this.dataSource).query(
      `WITH taken AS (
         INSERT INTO monthly_usage (site_id, month, slot, used) VALUES ($1, $9::date, $10, 1)
         ON CONFLICT (site_id, month, slot) DO UPDATE SET used = monthly_usage.used + 1 WHERE monthly_usage.used < $11
         RETURNING used),
       inserted AS (
         INSERT INTO deletion_requests (site_id, deletion_type, subject_ids, delete_json, requested_by, request_time, final_at,
                                        correlation_id, status, is_canceled, run)
         SELECT $1, $2, $3::text[], $4, $5, $6, $7, $8, 'NOT_STARTED', false, 1 FROM taken
         RETURNING *)
       SELECT inserted.*,
              -- the statement's snapshot does not see its own increment: add it
              (SELECT coalesce(sum(used), 0)::int + 1 FROM monthly_usage WHERE site_id = $1 AND month = $9::date) AS month_used
       FROM inserted`,
      [
        request.siteId,
        request.deletionType,
        request.subjectIds,
        request.deleteJson,
        request.requestedBy,
        request.requestTime,
        request.finalAt,
        request.correlationId,
        quota.month.toISOString().slice(0, 10),
        quota.slot,
        quota.cap,
      ],
    );
    const row = rows[0];
    return row ? { request: fromRow(row), monthUsed: row.month_used as number } : null;
  }

  /**
   * Marks rows enqueued. Concurrent callers share one UPDATE (batched for a few milliseconds), so the create
   * path pays a fraction of a round trip; each caller still waits until its row is marked.
   */
  markEnqueued(id: string): Promise<void> {
    this.pendingMarks.add(id);
    this.markBatch ??= new Promise<void>((resolve, reject) =>
      setTimeout(() => {
        const ids = [...this.pendingMarks];
        this.pendingMarks.clear();
        this.markBatch = undefined;
        this.dataSource
          .query(
            `UPDATE deletion_requests SET enqueued_at = now() WHERE id = ANY($1::bigint[]) AND enqueued_at IS NULL`,
            [ids],
          )
          .then(() => resolve(), reject);
      }, MARK_BATCH_MS),
    );
    return this.markBatch;
  }

  findOne(siteId: string, id: string): Promise<DeletionRequestEntity | null> {
    return this.dataSource.getRepository(DeletionRequestEntity).findOneBy({ siteId, id });
  }

  findById(id: string): Promise<DeletionRequestEntity | null> {
    return this.dataSource.getRepository(DeletionRequestEntity).findOneBy({ id });
  }

  /**
   * Cancels a request still inside its window: one conditional update, so a cancel racing the window's end
   * (the orchestrator's own conditional update) either wins or loses, never both. True when it won.
   */
  async cancelIfCancellable(siteId: string, id: string, cancelledBy: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH canceled AS (
         UPDATE deletion_requests SET status = 'CANCELED', is_canceled = true, cancelled_by = $3, cancel_timestamp = $4
         WHERE id = $1 AND site_id = $2 AND status = 'NOT_STARTED' AND final_at > $4 RETURNING id)
       SELECT id FROM canceled`,
      [id, siteId, cancelledBy, now],
    );
    return rows.length === 1;
  }

  /** One page of an account's requests, newest first, strictly before the `beforeId` cursor. */
  list(siteId: string, filter: RequestListFilter, limit: number): Promise<DeletionRequestEntity[]> {
    const where: FindOptionsWhere<DeletionRequestEntity> = { siteId };
    if (filter.status) where.status = filter.status;
    if (filter.beforeId) where.id = LessThan(filter.beforeId);
    if (filter.from && filter.until) where.requestTime = And(MoreThanOrEqual(filter.from), LessThan(filter.until));
    else if (filter.from) where.requestTime = MoreThanOrEqual(filter.from);
    else if (filter.until) where.requestTime = LessThan(filter.until);
    return this.dataSource.getRepository(DeletionRequestEntity).find({ where, order: { id: 'DESC' }, take: limit });
  }
}

export interface RequestListFilter {
  status?: RequestStatus;
  /** Inclusive lower bound on request_time. */
  from?: Date;
  /** Exclusive upper bound on request_time. */
  until?: Date;
  /** Keyset cursor: only ids below it. */
  beforeId?: string;
}

/** A deletion_requests row (snake_case, from raw SQL) as an entity. */
function fromRow(row: Record<string, unknown>): DeletionRequestEntity {
  return Object.assign(new DeletionRequestEntity(), {
    id: String(row.id),
    siteId: row.site_id,
    deletionType: row.deletion_type,
    subjectIds: row.subject_ids,
    deleteJson: row.delete_json,
    requestedBy: row.requested_by,
    requestTime: row.request_time,
    finalAt: row.final_at,
    status: row.status,
    isCanceled: row.is_canceled,
    cancelledBy: row.cancelled_by,
    cancelTimestamp: row.cancel_timestamp,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    enqueuedAt: row.enqueued_at,
    correlationId: row.correlation_id,
    run: row.run,
    failedAt: row.failed_at,
  });
}
