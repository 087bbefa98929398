import { Batcher, DeadlineExceededError, DeletionType, isoDay, RequestStatus } from '#app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { And, DataSource, EntityManager, LessThan, MoreThanOrEqual, type FindOptionsWhere } from 'typeorm';
import { DeletionRequestEntity } from '../entities/deletion-request.entity.js';
import { isStatementTimeout } from '../connection-waits.js';
import { PreparedStatement } from '../prepared-statement.js';

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

/**
 * Records requests and takes one unit of one quota slot for each, atomically per request, given as parallel
 * arrays (one element per request; one element for a create alone). A request whose slot is full is not
 * recorded. Ids are drawn first so each returned row can be matched to its place (`ord`) in the batch. Slots are locked in one
 * order (site, month, slot), so two batches never wait on each other in a cycle; a batch holds each slot once.
 * Subject ids are read back from `delete_json`, which the API built from them.
 */
const INSERT_TAKING_QUOTA = new PreparedStatement<Record<string, unknown>>(
  'insert-requests-taking-quota',
  `WITH input AS MATERIALIZED (
     SELECT nextval(pg_get_serial_sequence('deletion_requests', 'id')) AS id, t.*
     FROM unnest($1::varchar[], $2::varchar[], $3::text[], $4::varchar[], $5::timestamptz[], $6::timestamptz[],
                 $7::varchar[], $8::date[], $9::int[], $10::int[]) WITH ORDINALITY
          AS t(site_id, deletion_type, delete_json, requested_by, request_time, final_at, correlation_id, month, slot, cap, ord)),
   taken AS (
     INSERT INTO monthly_usage AS usage (site_id, month, slot, used)
     SELECT site_id, month, slot, 1 FROM input ORDER BY site_id, month, slot
     ON CONFLICT (site_id, month, slot) DO UPDATE SET used = usage.used + 1
       WHERE usage.used < (SELECT i.cap FROM input i
                           WHERE i.site_id = excluded.site_id AND i.month = excluded.month AND i.slot = excluded.slot)
     RETURNING site_id, month, slot),
   inserted AS (
     INSERT INTO deletion_requests (id, site_id, deletion_type, subject_ids, delete_json, requested_by, request_time,
                                    final_at, correlation_id, status, is_canceled, run)
     SELECT i.id, i.site_id, i.deletion_type, ARRAY(SELECT jsonb_array_elements_text(i.delete_json::jsonb -> i.deletion_type)),
            i.delete_json, i.requested_by, i.request_time, i.final_at, i.correlation_id, 'NOT_STARTED', false, 1
     FROM input i JOIN taken USING (site_id, month, slot)
     RETURNING *),
   month_used AS (
     SELECT site_id, month, sum(used)::int AS used FROM monthly_usage
     WHERE (site_id, month) IN (SELECT site_id, month FROM input) GROUP BY site_id, month)
   SELECT inserted.*, i.ord,
          -- the statement's snapshot does not see its own increments: add them
          coalesce(u.used, 0) + (SELECT count(*)::int FROM taken t WHERE t.site_id = i.site_id AND t.month = i.month)
            AS month_used
   FROM inserted JOIN input i USING (id) LEFT JOIN month_used u ON u.site_id = i.site_id AND u.month = i.month`,
);

const MARK_ENQUEUED = new PreparedStatement(
  'mark-requests-enqueued',
  `UPDATE deletion_requests SET enqueued_at = now() WHERE id = ANY($1::bigint[]) AND enqueued_at IS NULL`,
);

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

interface PendingCreate {
  request: NewDeletionRequest;
  quota: QuotaTake;
}

@Injectable()
export class DeletionRequestsRepository {
  /**
   * Creates without an Idempotency-Key, grouped: never two on one quota slot in a batch (one row lock each).
   * One batch at a time: the creates arriving during a statement all share the next, so under load each commit
   * serves dozens. Measured against four in flight (many small batches): +40% creates per second and a p99 a
   * quarter lower, because PostgreSQL plans, commits and wakes the API far less often.
   */
  private readonly creates = new Batcher<PendingCreate, QuotaTaken | null>((batch) => this.insertBatch(batch), {
    maxBatch: 64,
    maxInFlight: 1,
    keyOf: ({ request, quota }) => `${request.siteId}/${quota.month.getTime()}/${quota.slot}`,
    // Each caller waits until its own deadline at most, whether queued or riding the batch in flight (whose
    // statement the pool's query timeout bounds): one timer for all of them (see DeadlineWatch).
    expired: () => createDeadlineError('the insert batch ahead of it or carrying it had not committed'),
  });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction of the service database. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Records the request (marked not-yet-enqueued: the outbox marker) and takes one unit of one slot of the
   * month's quota, atomically: both happen or neither. Null when that slot is full. `manager`: run inside the
   * caller's transaction (the Idempotency-Key path). Otherwise concurrent creates share one statement and one
   * commit (see `creates`), and `deadline` (a `performance.now()` time) bounds the caller's wait: past it,
   * a DeadlineExceededError (the row may still commit: see the README on retries).
   */
  insertTakingQuota(
    request: NewDeletionRequest,
    quota: QuotaTake,
    manager?: EntityManager,
    deadline?: number,
  ): Promise<QuotaTaken | null> {
    if (!manager) return this.creates.submit({ request, quota }, deadline);
    return this.insertBatch([{ request, quota }], manager).then(([taken]) => taken ?? null);
  }

  /** Marks rows enqueued, in one statement (the relay and the reconciler pass whole rounds). */
  async markEnqueued(ids: readonly string[]): Promise<void> {
    await MARK_ENQUEUED.run(this.dataSource, [ids]);
  }

  /**
   * One statement for the batch (in `manager`'s transaction when given). When a batch of several fails, each
   * create is tried alone, so one bad row cannot fail the others.
   */
  private async insertBatch(batch: PendingCreate[], manager?: EntityManager): Promise<(QuotaTaken | null)[]> {
    let rows: Record<string, unknown>[];
    try {
      rows = await INSERT_TAKING_QUOTA.run(
        this.dataSource,
        [
          batch.map(({ request }) => request.siteId),
          batch.map(({ request }) => request.deletionType),
          batch.map(({ request }) => request.deleteJson),
          batch.map(({ request }) => request.requestedBy),
          batch.map(({ request }) => request.requestTime),
          batch.map(({ request }) => request.finalAt),
          batch.map(({ request }) => request.correlationId),
          batch.map(({ quota }) => isoDay(quota.month)),
          batch.map(({ quota }) => quota.slot),
          batch.map(({ quota }) => quota.cap),
        ],
        manager,
      );
    } catch (error) {
      // A timeout says the database is slow or silent, not that a row is bad: trying each alone would only
      // pile more statements on it.
      if (batch.length === 1 || isStatementTimeout(error)) throw error;
      return (await Promise.all(batch.map((pending) => this.insertBatch([pending])))).flat();
    }
    // Rows come back in no set order; `ord` is each one's place in the batch.
    const taken: (QuotaTaken | null)[] = batch.map(() => null);
    for (const row of rows) taken[Number(row.ord) - 1] = { request: fromRow(row), monthUsed: row.month_used as number };
    return taken;
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

/** A create past its deadline: 503 with Retry-After. */
export function createDeadlineError(reason: string): DeadlineExceededError {
  return new DeadlineExceededError('the deletion request could not be recorded in time; retry later', reason, 5);
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
