import {
  DEFERRED,
  DeletionRequestsRepository,
  isStatementTimeout,
  type NewDeletionRequest,
  type PendingCreate,
  type QuotaTaken,
  type RecordOutcome,
} from '#app/database';
import { Batcher, DeadlineExceededError, RequestStatus, type QuotaTake } from '#app/domain';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RequestLifecycle, type TransitionEvent } from './request-lifecycle.service.js';

/**
 * The first transition of a request: recorded NOT_STARTED (marked not yet enqueued: the outbox), with one unit of
 * its month's quota and its `created` audit event, atomically, in one statement and no transaction
 * (docs/ARCHITECTURE.md, "Create path performance"). Creates of accounts subscribed to `created` webhooks, which
 * that statement defers, are recorded again in a transaction where the listeners are told. Creates without an
 * Idempotency-Key are grouped: never two on one quota slot in a batch (one row lock each), and one batch at a
 * time, so the creates arriving during a statement all share the next and under load each commit serves dozens.
 * Measured against four in flight (many small batches): +40% creates per second and a p99 a quarter lower,
 * because PostgreSQL plans, commits and wakes the API far less often.
 */
@Injectable()
export class RequestRecorder {
  private readonly creates = new Batcher<PendingCreate, Recorded>((batch) => this.insert(batch), {
    maxBatch: 64,
    maxInFlight: 1,
    keyOf: ({ request, quota }) => `${request.siteId}/${quota.month.getTime()}/${quota.slot}`,
    // Each caller waits until its own deadline at most, whether queued or riding the batch in flight (whose
    // statement the pool's query timeout bounds): one timer for all of them (see DeadlineWatch).
    expired: () => createDeadlineError('the insert batch ahead of it or carrying it had not committed'),
  });

  constructor(
    private readonly requests: DeletionRequestsRepository,
    private readonly lifecycle: RequestLifecycle,
  ) {}

  /**
   * Records the request with the quota unit `quota`, or null when that slot is full; shares a statement and a
   * commit with the creates arriving meanwhile. Past `deadline` (a `performance.now()` time) the caller gets a
   * DeadlineExceededError (the row may still commit: a retry with its Idempotency-Key finds it).
   */
  async record(request: NewDeletionRequest, quota: QuotaTake, deadline?: number): Promise<QuotaTaken | null> {
    const recorded = await this.creates.submit({ request, quota }, deadline);
    if (recorded && 'failed' in recorded) throw recorded.failed;
    return recorded;
  }

  /** The same, alone, inside the caller's transaction (the Idempotency-Key path). */
  async recordIn(manager: EntityManager, request: NewDeletionRequest, quota: QuotaTake): Promise<QuotaTaken | null> {
    return (await this.insertIn(manager, [{ request, quota }]))[0] ?? null;
  }

  /**
   * One statement for the batch; the creates it defers, in one transaction with what the listeners write. When a
   * statement (or that transaction) of several creates fails, each of its creates is tried alone, so one bad row
   * fails only its own create; what the first statement committed is never tried again, nor failed by the
   * deferred ones.
   */
  private async insert(batch: PendingCreate[]): Promise<Recorded[]> {
    const deferSubscribed = this.lifecycle.hasListeners;
    const outcomes = await eachAloneOnFailure(batch, (part) =>
      this.requests.insertTakingQuota(part, { deferSubscribed }),
    );
    const deferred = batch.filter((_, index) => outcomes[index] === DEFERRED);
    if (deferred.length === 0) return outcomes as Recorded[];
    const told = await eachAloneOnFailure(deferred, (part) =>
      this.requests.transaction((manager) => this.insertIn(manager, part)),
    ).catch((failed: unknown) => deferred.map((): Recorded => ({ failed })));
    return outcomes.map((outcome) => (outcome === DEFERRED ? told.shift()! : outcome));
  }

  /** Records the batch in `manager`'s transaction (nothing deferred) and tells the listeners of each create. */
  private async insertIn(manager: EntityManager, batch: readonly PendingCreate[]): Promise<(QuotaTaken | null)[]> {
    const taken = (await this.requests.insertTakingQuota(batch, { manager })) as Exclude<RecordOutcome, 'deferred'>[];
    const events: TransitionEvent[] = taken.flatMap((result) =>
      result
        ? [
            {
              type: 'created',
              requestId: result.request.id,
              siteId: result.request.siteId,
              status: RequestStatus.NotStarted,
              actor: result.request.requestedBy,
              details: { deletion_type: result.request.deletionType, ids: result.request.subjectIds.length },
            },
          ]
        : [],
    );
    await this.lifecycle.recorded(manager, events);
    return taken;
  }
}

/** What a create's place in a batch gets: recorded, its slot full (null), or the error of its own statement. */
type Recorded = QuotaTaken | null | { failed: unknown };

/**
 * Runs `record` on the whole batch; if that fails, on each create alone, a create's own failure in its place. A
 * timeout says the database is slow or silent, not that a row is bad: trying each alone would only pile more
 * statements on it, so it fails the batch.
 */
async function eachAloneOnFailure<T>(
  batch: PendingCreate[],
  record: (part: PendingCreate[]) => Promise<T[]>,
): Promise<(T | { failed: unknown })[]> {
  try {
    return await record(batch);
  } catch (error) {
    if (batch.length === 1 || isStatementTimeout(error)) throw error;
    return Promise.all(
      batch.map((pending) =>
        record([pending]).then(
          ([outcome]) => outcome,
          (failed: unknown) => ({ failed }),
        ),
      ),
    );
  }
}

/** A create past its deadline: 503 with Retry-After. */
export function createDeadlineError(reason: string): DeadlineExceededError {
  return new DeadlineExceededError('the deletion request could not be recorded in time; retry later', reason, 5);
}
