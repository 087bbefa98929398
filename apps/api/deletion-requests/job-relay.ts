import { AppConfig } from '#app/config';
import { DeletionRequestEntity } from '#app/database';
import { Batcher, withTimeout } from '#app/domain';
import { StartEnqueuer } from '#app/lifecycle';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

/**
 * Most requests one relay round carries (one `addBulk`, one mark): at ~40 µs of CPU a job, a round holds the
 * event loop for a few milliseconds at most, so a backlog left by a pause drains without a latency spike.
 */
const MAX_RELAY_BATCH = 100;

/**
 * Most creates waiting for the relay. Past it (Redis answering too slowly for the rate of creates), the next
 * creates are left to the reconciler at once, so a stalled Redis cannot fill the API's memory.
 */
export const MAX_RELAY_BACKLOG = 5000;

/**
 * The outbox relay of this API process: once a create's row is committed (and answered), adds its delayed
 * orchestrator job, then marks the row enqueued. It never fails a create: when Redis does not answer in time
 * the rows stay unmarked and the worker's reconciler enqueues them; a mark that never lands (PostgreSQL gone,
 * a crash) costs one harmless re-add of the same job id.
 *
 * One round runs at a time and carries the creates recorded meanwhile, so under load one `addBulk` and one
 * mark serve dozens of creates (relayed one by one, with a timer each, the relay had measured a third of the
 * create path's CPU).
 */
@Injectable()
export class JobRelay implements BeforeApplicationShutdown {
  private readonly logger = new Logger(JobRelay.name);
  private readonly rounds = new Batcher<DeletionRequestEntity, void>((round) => this.enqueue(round), {
    maxBatch: MAX_RELAY_BATCH,
    maxInFlight: 1,
    // The creates of one insert batch are answered in one turn: one round for all of them.
    gatherOneTurn: true,
  });
  /** Relays not yet ended, by request id. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Creates left to the reconciler since the backlog last filled up (0: it is not full). */
  private skipped = 0;

  constructor(
    private readonly starts: StartEnqueuer,
    private readonly config: AppConfig,
  ) {}

  relay(request: DeletionRequestEntity): void {
    if (this.inFlight.size >= MAX_RELAY_BACKLOG) {
      if (this.skipped++ === 0)
        this.logger.warn(
          `relay backlog full (${MAX_RELAY_BACKLOG} creates waiting on Redis): leaving new creates to the reconciler, from request ${request.id}`,
        );
      return;
    }
    if (this.skipped > 0 && this.inFlight.size < MAX_RELAY_BACKLOG / 2) {
      this.logger.warn(`relay caught up; ${this.skipped} creates were left to the reconciler`);
      this.skipped = 0;
    }
    const relayed = this.rounds.submit(request).finally(() => this.inFlight.delete(request.id));
    this.inFlight.set(request.id, relayed);
  }

  /** Resolves once this process's relay of the request, if any, has ended (a cancel waits for it). */
  async settled(requestId: string): Promise<void> {
    await this.inFlight.get(requestId);
  }

  /**
   * Lets the relays not yet ended reach Redis before the connections close, for up to twice
   * ENQUEUE_TIMEOUT_MS (a healthy Redis drains a full backlog well within it); the rest is the reconciler's.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.inFlight.size === 0) return;
    const waiting = this.inFlight.size;
    await withTimeout(Promise.allSettled([...this.inFlight.values()]), 2 * this.config.ENQUEUE_TIMEOUT_MS).catch(() =>
      this.logger.warn(
        `shutting down with ${this.inFlight.size} of ${waiting} relays not ended; the reconciler will finish them`,
      ),
    );
  }

  /** One round; never rejects, so no create's relay fails. */
  private async enqueue(round: DeletionRequestEntity[]): Promise<void[]> {
    const enqueued = this.starts.enqueue(round);
    try {
      await withTimeout(enqueued, this.config.ENQUEUE_TIMEOUT_MS);
    } catch (error) {
      enqueued.catch(() => undefined);
      const ids =
        round.length === 1
          ? `request ${round[0].id}`
          : `${round.length} requests (${round[0].id} to ${round.at(-1)!.id})`;
      this.logger.warn(
        `${ids} recorded; the enqueue did not complete (${(error as Error).message}); the reconciler will finish it`,
      );
    }
    return round.map(() => undefined);
  }
}
