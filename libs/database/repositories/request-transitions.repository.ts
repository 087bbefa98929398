import { type RequestStatus, type StoreName } from '#app/domain';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DeletionRequestEntity } from '../entities/deletion-request.entity.js';

/** What a won transition changed, for the lifecycle's listeners (audit, webhooks). */
export interface TransitionedRow {
  id: string;
  siteId: string;
  status: RequestStatus;
}

/**
 * The SQL of a request's status changes, each one conditional statement with its statuses given as parameters:
 * which transition is allowed from which status is `RequestLifecycle`'s to decide (docs/ARCHITECTURE.md,
 * "Request lifecycle"), never this repository's. Every method runs in the caller's transaction, so the
 * lifecycle can write what the change implies (audit events, webhook events) in the same commit. Wrapped in a
 * CTE where it returns rows: TypeORM answers a bare UPDATE ... RETURNING with [rows, count], not rows.
 */
@Injectable()
export class RequestTransitionsRepository {
  /** `from` -> `to` (CANCELED) while inside the window; `siteId` scopes it to the caller's account. */
  async cancel(
    manager: EntityManager,
    transition: { from: readonly RequestStatus[]; to: RequestStatus },
    request: { siteId: string; id: string; cancelledBy: string; now: Date },
  ): Promise<TransitionedRow | null> {
    const rows: TransitionedRow[] = await manager.query(
      `WITH changed AS (
         UPDATE deletion_requests SET status = $5, is_canceled = true, cancelled_by = $3, cancel_timestamp = $4
         WHERE id = $1 AND site_id = $2 AND status = ANY($6) AND final_at > $4 RETURNING id, site_id, status)
       SELECT id, site_id AS "siteId", status FROM changed`,
      [request.id, request.siteId, request.cancelledBy, request.now, transition.to, transition.from],
    );
    return rows[0] ?? null;
  }

  /** `from` -> `to` (IN_PROGRESS) once `final_at` has passed. */
  async start(
    manager: EntityManager,
    transition: { from: readonly RequestStatus[]; to: RequestStatus },
    id: string,
    now: Date,
  ): Promise<TransitionedRow | null> {
    const rows: TransitionedRow[] = await manager.query(
      `WITH changed AS (
         UPDATE deletion_requests SET status = $3, started_at = $2
         WHERE id = $1 AND status = ANY($4) AND final_at <= $2 RETURNING id, site_id, status)
       SELECT id, site_id AS "siteId", status FROM changed`,
      [id, now, transition.to, transition.from],
    );
    return rows[0] ?? null;
  }

  /**
   * Closes run `run`: its stores not done are marked failed with `reason`, then `from` -> `done` when every
   * store is done, else `from` -> `failed`.
   */
  async finish(
    manager: EntityManager,
    transition: { from: readonly RequestStatus[]; done: RequestStatus; failed: RequestStatus },
    id: string,
    run: number,
    reason: string,
  ): Promise<TransitionedRow | null> {
    await manager.query(
      `UPDATE deletion_request_stores SET status = 'failed', last_error = coalesce(last_error, $3),
         finished_at = coalesce(finished_at, now())
       WHERE request_id = $1 AND run = $2 AND status NOT IN ('done', 'failed')`,
      [id, run, reason],
    );
    const rows: TransitionedRow[] = await manager.query(
      `WITH changed AS (UPDATE deletion_requests r SET
         status = CASE WHEN failed.any THEN $4 ELSE $3 END,
         completed_at = CASE WHEN failed.any THEN NULL ELSE now() END,
         failed_at = CASE WHEN failed.any THEN now() END
       FROM (SELECT EXISTS (SELECT 1 FROM deletion_request_stores WHERE request_id = $1 AND status <> 'done')
                 OR NOT EXISTS (SELECT 1 FROM deletion_request_stores WHERE request_id = $1) AS any) failed
       WHERE r.id = $1 AND r.run = $2 AND r.status = ANY($5)
       RETURNING r.id, r.site_id, r.status)
       SELECT id, site_id AS "siteId", status FROM changed`,
      [id, run, transition.done, transition.failed, transition.from],
    );
    return rows[0] ?? null;
  }

  /** The request, locked for a re-drive's decision; null when it does not exist. */
  lockForRedrive(manager: EntityManager, id: string): Promise<DeletionRequestEntity | null> {
    return manager.getRepository(DeletionRequestEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** `from` -> `to` with run `run`, resetting only the failed stores and their chunks; returns those stores. */
  async redrive(
    manager: EntityManager,
    transition: { from: readonly RequestStatus[]; to: RequestStatus },
    id: string,
    run: number,
  ): Promise<StoreName[] | null> {
    const changed: unknown[] = await manager.query(
      `WITH changed AS (UPDATE deletion_requests SET status = $3, run = $2, failed_at = NULL
         WHERE id = $1 AND status = ANY($4) RETURNING id) SELECT id FROM changed`,
      [id, run, transition.to, transition.from],
    );
    if (changed.length === 0) return null;
    const stores: { store: StoreName }[] = await manager.query(
      `WITH reset AS (UPDATE deletion_request_stores SET status = 'pending', run = $2, last_error = NULL, finished_at = NULL
       WHERE request_id = $1 AND status = 'failed' RETURNING store) SELECT store FROM reset`,
      [id, run],
    );
    await manager.query(
      `UPDATE deletion_request_chunks c SET status = 'pending', run = $2, last_error = NULL, attempts = 0,
         finished_at = NULL
       FROM deletion_request_stores s
       WHERE c.request_id = $1 AND s.request_id = c.request_id AND s.store = c.store AND s.run = $2`,
      [id, run],
    );
    return stores.map((row) => row.store);
  }
}
