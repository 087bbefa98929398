import { RequestStatus, type StoreName } from '#app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DeletionRequestStoreEntity, type StoreProgressStatus } from '../entities/deletion-request-store.entity.js';
import { DeletionRequestEntity } from '../entities/deletion-request.entity.js';

/** How many chunks a store's share of a request is split into. */
export interface StorePlan {
  store: StoreName;
  chunks: number;
}

export interface ChunkResult {
  status: StoreProgressStatus;
  matched?: number;
  erased?: number;
  notFound?: number;
  deferred?: number;
  /** Rows read back after the erase (docs/ARCHITECTURE.md, "Proof"); set with `verifiedAt`. */
  verifiedRows?: number;
  verifiedAt?: Date;
  lastError?: string | null;
}

/**
 * A chunk's record as query parameters, in the order both chunk tables' updates take them: status, attempt,
 * then matched, erased, not found and deferred (null keeps the count recorded before).
 */
export function chunkOutcomeParams(attempt: number, result: ChunkResult): (string | number | null)[] {
  const { status, matched, erased, notFound, deferred } = result;
  return [status, attempt, matched ?? null, erased ?? null, notFound ?? null, deferred ?? null];
}

/** A store's row as a chunk's record changed it: its status before and its totals after. */
export interface StoreChange {
  before: StoreProgressStatus;
  after: StoreProgressStatus;
  matched: number;
  erased: number;
  notFound: number;
  deferred: number;
  verifiedRows: number;
}

/**
 * A request's per-store and per-chunk progress (docs/ARCHITECTURE.md, "Progress"); its status changes are
 * `RequestLifecycle`'s (libs/lifecycle).
 */
@Injectable()
export class PurgeProgressRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Creates the store and chunk rows of a run, keeping those that exist (a repeated fan-out changes nothing). */
  async ensurePlan(requestId: string, run: number, plans: StorePlan[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const plan of plans) {
        await manager.query(
          `INSERT INTO deletion_request_stores (request_id, store, run, status, chunks) VALUES ($1, $2, $3, 'pending', $4)
           ON CONFLICT (request_id, store) DO NOTHING`,
          [requestId, plan.store, run, plan.chunks],
        );
        await manager.query(
          `INSERT INTO deletion_request_chunks (request_id, store, chunk, run, status)
           SELECT $1, $2, chunk, $3, 'pending' FROM generate_series(0, $4 - 1) chunk
           ON CONFLICT (request_id, store, chunk) DO NOTHING`,
          [requestId, plan.store, run, plan.chunks],
        );
      }
    });
  }

  /**
   * Records a chunk's attempt or outcome and refreshes its store's totals, serialized on the store row; in
   * `manager`'s transaction when given (the lifecycle's `recordProgress`), else in one of its own.
   */
  async recordChunk(
    requestId: string,
    store: StoreName,
    chunk: number,
    attempt: number,
    result: ChunkResult,
    manager?: EntityManager,
  ): Promise<StoreChange | undefined> {
    if (!manager) {
      return this.dataSource.transaction((own) => this.recordChunk(requestId, store, chunk, attempt, result, own));
    }
    const [locked]: { status: StoreProgressStatus }[] = await manager.query(
      `SELECT status FROM deletion_request_stores WHERE request_id = $1 AND store = $2 FOR UPDATE`,
      [requestId, store],
    );
    const finished = result.status === 'done' || result.status === 'failed';
    await manager.query(
      `UPDATE deletion_request_chunks SET status = $4, attempts = greatest(attempts, $5),
         matched = coalesce($6, matched), erased = coalesce($7, erased), not_found = coalesce($8, not_found),
         deferred = coalesce($9, deferred), last_error = $10,
         started_at = coalesce(started_at, now()), finished_at = CASE WHEN $11 THEN now() END,
         verified_rows = coalesce($12, verified_rows), verified_at = coalesce($13, verified_at)
       WHERE request_id = $1 AND store = $2 AND chunk = $3`,
      [
        requestId,
        store,
        chunk,
        ...chunkOutcomeParams(attempt, result),
        result.lastError ?? null,
        finished,
        result.verifiedRows ?? null,
        result.verifiedAt ?? null,
      ],
    );
    const [after] = await this.refreshStore(manager, requestId, store);
    return locked && after ? { before: locked.status, ...after } : undefined;
  }

  private async refreshStore(
    manager: EntityManager,
    requestId: string,
    store: StoreName,
  ): Promise<Omit<StoreChange, 'before'>[]> {
    const rows: Omit<StoreChange, 'before'>[] = await manager.query(
      `WITH refreshed AS (UPDATE deletion_request_stores s SET
         matched = a.matched, erased = a.erased, not_found = a.not_found, deferred = a.deferred,
         attempts = a.attempts, last_error = a.last_error, started_at = a.started_at,
         status = CASE WHEN a.failed > 0 THEN 'failed' WHEN a.done = s.chunks THEN 'done'
                       WHEN a.started > 0 THEN 'processing' ELSE 'pending' END,
         finished_at = CASE WHEN a.failed > 0 OR a.done = s.chunks THEN a.finished_at END,
         verified_rows = a.verified_rows, verified_at = a.verified_at
       FROM (SELECT sum(matched) AS matched, sum(erased) AS erased, sum(not_found) AS not_found,
                    sum(deferred) AS deferred, max(attempts) AS attempts,
                    string_agg(last_error, '; ' ORDER BY chunk) AS last_error, min(started_at) AS started_at,
                    max(finished_at) AS finished_at, count(*) FILTER (WHERE status = 'failed') AS failed,
                    count(*) FILTER (WHERE status = 'done') AS done,
                    count(*) FILTER (WHERE status <> 'pending') AS started,
                    sum(verified_rows) AS verified_rows, max(verified_at) AS verified_at
             FROM deletion_request_chunks WHERE request_id = $1 AND store = $2) a
       WHERE s.request_id = $1 AND s.store = $2
       RETURNING s.status, s.matched, s.erased, s.not_found, s.deferred, s.verified_rows)
       SELECT status AS after, matched, erased, not_found AS "notFound", deferred, verified_rows AS "verifiedRows"
       FROM refreshed`,
      [requestId, store],
    );
    return rows;
  }

  findStores(requestId: string): Promise<DeletionRequestStoreEntity[]> {
    return this.dataSource
      .getRepository(DeletionRequestStoreEntity)
      .find({ where: { requestId }, order: { store: 'ASC' } });
  }

  /**
   * What a lost flow must redo: the stores that are not done, or `undefined` when no store was planned yet
   * (a crash between the start and the fan-out), meaning every store.
   */
  async storesToResume(requestId: string): Promise<StoreName[] | undefined> {
    const rows: { store: StoreName; status: string }[] = await this.dataSource.query(
      `SELECT store, status FROM deletion_request_stores WHERE request_id = $1`,
      [requestId],
    );
    if (rows.length === 0) return undefined;
    return rows.filter((row) => row.status !== 'done').map((row) => row.store);
  }

  /**
   * A page of requests in `status`, by id, for the reconciler: only those that entered it (created, or
   * started) before `settledBefore`, so work in flight right now is not taken for lost.
   */
  page(
    status: RequestStatus,
    afterId: string,
    limit: number,
    settledBefore: Date,
    onlyNotEnqueued = false,
  ): Promise<DeletionRequestEntity[]> {
    return this.dataSource.query(
      `SELECT id, site_id AS "siteId", final_at AS "finalAt", run, correlation_id AS "correlationId", deletion_type AS "deletionType",
              subject_ids AS "subjectIds", status
       FROM deletion_requests
       WHERE status = $1 AND id > $2 AND coalesce(started_at, request_time) < $4
         ${onlyNotEnqueued ? 'AND enqueued_at IS NULL' : ''}
       ORDER BY id LIMIT $3`,
      [status, afterId, limit, settledBefore],
    );
  }
}
