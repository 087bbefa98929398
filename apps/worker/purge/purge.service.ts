import { AppConfig } from '#app/config';
import { DeletionRequestsRepository, type ChunkResult } from '#app/database';
import { Clock, RequestStatus, STORE_OF } from '#app/domain';
import { metrics } from '#app/observability';
import type { PurgeChunkPayload } from '#app/queue';
import { RequestLifecycle } from '#app/lifecycle';
import { describeViolations, eraseAndVerify, StoresService } from '#app/stores';
import { Injectable, Logger } from '@nestjs/common';

const DAY_MS = 24 * 3600 * 1000;
const ACTOR = 'system:worker';

export type PurgeStep =
  | { kind: 'done' }
  | { kind: 'skipped' }
  | { kind: 'deferred'; until: Date; openIds: number }
  | { kind: 'expired'; message: string }
  | { kind: 'refused'; message: string };

/** Erases one chunk of ids from one store and records what it did (docs/ARCHITECTURE.md, "Flows and retries", "Stores"). */
@Injectable()
export class PurgeService {
  private readonly logger = new Logger(PurgeService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly stores: StoresService,
    private readonly requests: DeletionRequestsRepository,
    private readonly lifecycle: RequestLifecycle,
    private readonly clock: Clock,
  ) {}

  /**
   * `attempt` counts from 1; `lastAttempt` says whether a failure now is final. Open chats or conversations
   * are left alone and the chunk is looked at again later, until the deletion deadline, when it fails.
   */
  async purgeChunk(payload: PurgeChunkPayload, attempt: number, lastAttempt: boolean): Promise<PurgeStep> {
    const { requestId, run, store, chunk, ids } = payload;
    const request = await this.requests.findById(requestId);
    if (!request || request.status !== RequestStatus.InProgress || request.run !== run) {
      this.logger.log(`request ${requestId} ${store}#${chunk}: not in progress in run ${run}; skipped`);
      return { kind: 'skipped' };
    }
    const refusal = payloadRefusal(payload, request);
    if (refusal) {
      // No progress is written: a forged job must not touch the request's own chunks. Were this its real child,
      // the request closes FAILED with this message and can be re-driven.
      this.logger.error(`request ${requestId} ${store}#${chunk}: payload refused: ${refusal}`);
      return { kind: 'refused', message: `payload refused: ${refusal}` };
    }
    const record = (result: ChunkResult) =>
      this.lifecycle.recordProgress({ requestId, siteId: request.siteId, store, chunk, attempt }, result, ACTOR);
    await record({ status: 'processing' });
    let erase;
    try {
      // A crash after the erase commits and before its read-back re-runs both on the retry (the erase is
      // idempotent), so no chunk is done unverified.
      const [purger, verifier] = await Promise.all([this.stores.purger(store), this.stores.verifier(store)]);
      erase = await eraseAndVerify(purger, verifier, request.siteId, ids, this.config.VERIFY_MAX_ERASURES);
    } catch (error) {
      const message = `attempt ${attempt}: ${describe(error)}`;
      await record({ status: lastAttempt ? 'failed' : 'processing', lastError: message });
      throw error;
    }
    const { outcome, verification, rounds } = erase;
    const counts = {
      matched: outcome.matched,
      erased: outcome.erased,
      notFound: outcome.notFound,
      deferred: outcome.deferredIds.length,
      verifiedRows: verification.rowsChecked,
      verifiedAt: this.clock.now(),
    };
    const verdict = verification.violations > 0 ? 'failed' : rounds > 1 ? 're_erased' : 'clean';
    metrics.verifications.inc({ store, outcome: verdict });
    if (verification.violations > 0) {
      const message = describeViolations(verification, rounds);
      this.logger.error(`request ${requestId} ${store}#${chunk}: ${message}`);
      await record({ status: 'failed', ...counts, lastError: message });
      return { kind: 'refused', message };
    }
    this.logger.log(
      `request ${requestId} ${store}#${chunk}: matched ${counts.matched}, erased ${counts.erased}, not found ${counts.notFound}, deferred ${counts.deferred}, verified ${counts.verifiedRows} rows in ${rounds} erasures`,
    );
    if (outcome.deferredIds.length === 0) {
      await record({ status: 'done', ...counts });
      metrics.ids.inc({ store, result: 'erased' }, counts.erased);
      metrics.ids.inc({ store, result: 'not_found' }, counts.notFound);
      return { kind: 'done' };
    }
    const now = this.clock.now();
    const deadline = new Date(request.finalAt.getTime() + this.config.DELETION_DEADLINE_DAYS * DAY_MS);
    if (now >= deadline) {
      const message = `${counts.deferred} ids still open at the deletion deadline ${deadline.toISOString()}`;
      await record({ status: 'failed', ...counts, lastError: message });
      return { kind: 'expired', message };
    }
    await record({ status: 'processing', ...counts });
    metrics.ids.inc({ store, result: 'deferred' }, counts.deferred);
    const retryAt = new Date(Math.min(now.getTime() + this.config.DEFER_RETRY_SECONDS * 1000, deadline.getTime()));
    return { kind: 'deferred', until: retryAt, openIds: counts.deferred };
  }
}

/**
 * Why a chunk's payload may not run against its request, or undefined: a job carries only its request's own
 * account, store and subject ids (a forged or corrupted job in Redis must not erase anything else). Names ids only.
 */
function payloadRefusal(
  payload: PurgeChunkPayload,
  request: { siteId: string; deletionType: keyof typeof STORE_OF; subjectIds: string[] },
): string | undefined {
  if (payload.siteId !== request.siteId) return `site id ${payload.siteId} is not the request's ${request.siteId}`;
  if (payload.store !== STORE_OF[request.deletionType]) return `store ${payload.store} is not the request's`;
  const subjects = new Set(request.subjectIds);
  const foreign = payload.ids.filter((id) => !subjects.has(id));
  if (foreign.length > 0) {
    return `${foreign.length} ids are not among the request's subject ids (${foreign.slice(0, 5).join(', ')})`;
  }
  return undefined;
}

/** An error as a short line for the progress row: class and message, never a stack or row values. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}`.slice(0, 500);
}
