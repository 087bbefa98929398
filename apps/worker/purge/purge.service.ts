import { AppConfig } from '#app/config';
import { Clock } from '#app/domain';
import { metrics } from '#app/observability';
import type { PurgeChunkPayload, ReplayChunkPayload } from '#app/queue';
import { describeViolations, eraseAndVerify, StoresService } from '#app/stores';
import { Injectable, Logger } from '@nestjs/common';
import { ChunkTargets, type ChunkTarget } from './chunk-targets.js';

export type PurgeStep =
  | { kind: 'done' }
  | { kind: 'skipped' }
  | { kind: 'deferred'; until: Date; openIds: number }
  | { kind: 'expired'; message: string }
  | { kind: 'refused'; message: string };

/**
 * Erases one chunk of ids from one store, reads it back, and records what it did (docs/ARCHITECTURE.md, "Flows
 * and retries", "Stores", "Proof"): a request's purge chunk, or a store replay's chunk, through the same path,
 * each recorded in its own rows.
 */
@Injectable()
export class PurgeService {
  private readonly logger = new Logger(PurgeService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly stores: StoresService,
    private readonly targets: ChunkTargets,
    private readonly clock: Clock,
  ) {}

  /**
   * `attempt` counts from 1; `lastAttempt` says whether a failure now is final. Open chats or conversations
   * are left alone and the chunk is looked at again later, until the deadline, when it fails.
   */
  async purgeChunk(
    payload: PurgeChunkPayload | ReplayChunkPayload,
    attempt: number,
    lastAttempt: boolean,
  ): Promise<PurgeStep> {
    if (!('replayId' in payload)) return this.erase(await this.targets.purge(payload), attempt, lastAttempt);
    const store = payload.store;
    try {
      const step = await this.erase(await this.targets.replay(payload), attempt, lastAttempt);
      metrics.replayChunks.inc({ store, outcome: step.kind });
      return step;
    } catch (error) {
      metrics.replayChunks.inc({ store, outcome: lastAttempt ? 'failed' : 'retried' });
      throw error;
    }
  }

  private async erase(
    found: Awaited<ReturnType<ChunkTargets['purge']>>,
    attempt: number,
    lastAttempt: boolean,
  ): Promise<PurgeStep> {
    if (found.kind === 'skipped') {
      this.logger.log(`${found.label}: ${found.message}; skipped`);
      return { kind: 'skipped' };
    }
    if (found.kind === 'refused') {
      this.logger.error(`${found.label}: ${found.message}`);
      return { kind: 'refused', message: found.message };
    }
    const target: ChunkTarget = found.target;
    const { label, store } = target;
    await target.record(attempt, { status: 'processing' });
    let erase;
    try {
      // A crash after the erase commits and before its read-back re-runs both on the retry (the erase is
      // idempotent), so no chunk is done unverified.
      const [purger, verifier] = await Promise.all([this.stores.purger(store), this.stores.verifier(store)]);
      erase = await eraseAndVerify(purger, verifier, target.siteId, target.ids, this.config.VERIFY_MAX_ERASURES);
    } catch (error) {
      const message = `attempt ${attempt}: ${describe(error)}`;
      await target.record(attempt, { status: lastAttempt ? 'failed' : 'processing', lastError: message });
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
      this.logger.error(`${label}: ${message}`);
      await target.record(attempt, { status: 'failed', ...counts, lastError: message });
      return { kind: 'refused', message };
    }
    this.logger.log(
      `${label}: matched ${counts.matched}, erased ${counts.erased}, not found ${counts.notFound}, deferred ${counts.deferred}, verified ${counts.verifiedRows} rows in ${rounds} erasures`,
    );
    const ids = target.kind === 'replay' ? metrics.replayIds : metrics.ids;
    if (outcome.deferredIds.length === 0) {
      await target.record(attempt, { status: 'done', ...counts });
      ids.inc({ store, result: 'erased' }, counts.erased);
      ids.inc({ store, result: 'not_found' }, counts.notFound);
      return { kind: 'done' };
    }
    const now = this.clock.now();
    const deadline = target.deadline;
    if (now >= deadline) {
      const message = `${counts.deferred} ids still open at the deletion deadline ${deadline.toISOString()}`;
      await target.record(attempt, { status: 'failed', ...counts, lastError: message });
      return { kind: 'expired', message };
    }
    await target.record(attempt, { status: 'processing', ...counts });
    ids.inc({ store, result: 'deferred' }, counts.deferred);
    const retryAt = new Date(Math.min(now.getTime() + this.config.DEFER_RETRY_SECONDS * 1000, deadline.getTime()));
    return { kind: 'deferred', until: retryAt, openIds: counts.deferred };
  }
}

/** An error as a short line for the progress row: class and message, never a stack or row values. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}`.slice(0, 500);
}
