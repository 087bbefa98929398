import { AppConfig } from '#app/config';
import { DeletionRequestEntity } from '#app/database';
import { withTimeout } from '#app/domain';
import { StartEnqueuer } from '#app/lifecycle';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

/**
 * Most requests one relay round carries (one `addBulk`, one mark): at ~40 µs of CPU a job, a round holds the
 * event loop for a few milliseconds at most, so a backlog left by a pause drains without a latency spike.
 */
const MAX_RELAY_BATCH = 100;

/**
 * The outbox relay of this API process: once a create's row is committed (and answered), adds its delayed
 * orchestrator job, then marks the row enqueued. It never fails a create: when Redis does not answer in time
 * the rows stay unmarked and the worker's reconciler enqueues them; a mark that never lands (PostgreSQL gone,
 * a crash) costs one harmless re-add of the same job id.
 *
 * One round runs at a time and carries every create recorded meanwhile, so under load a round's `addBulk`
 * and mark serve hundreds of creates, and a create costs the relay no promise or timer of its own (the
 * relay measured a third of the create path's CPU when each create went on its own).
 */
@Injectable()
export class JobRelay implements BeforeApplicationShutdown {
  private readonly logger = new Logger(JobRelay.name);
  /** Recorded, not yet handed to a round. */
  private waiting: DeletionRequestEntity[] = [];
  /** Ids waiting or in the running round. */
  private readonly unsettled = new Set<string>();
  private running = false;
  /** Resolves when the running round ends (then replaced). */
  private roundEnd = signal();

  constructor(
    private readonly starts: StartEnqueuer,
    private readonly config: AppConfig,
  ) {}

  relay(request: DeletionRequestEntity): void {
    this.waiting.push(request);
    this.unsettled.add(request.id);
    if (!this.running) {
      this.running = true;
      // One turn of the event loop later, so the creates answered together (a batch) share the round.
      setImmediate(() => void this.drain());
    }
  }

  /** Resolves once this process's relay of the request, if any, has ended (a cancel waits for it). */
  async settled(requestId: string): Promise<void> {
    while (this.unsettled.has(requestId)) await this.roundEnd.promise;
  }

  /** Lets the relays not yet ended reach Redis (or time out) before the connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    while (this.unsettled.size > 0) await this.roundEnd.promise;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const round = this.waiting.length <= MAX_RELAY_BATCH ? this.waiting : this.waiting.slice(0, MAX_RELAY_BATCH);
      this.waiting = round === this.waiting ? [] : this.waiting.slice(MAX_RELAY_BATCH);
      await this.enqueue(round);
      for (const request of round) this.unsettled.delete(request.id);
      const ended = this.roundEnd;
      this.roundEnd = signal();
      ended.resolve();
    }
    this.running = false;
  }

  private async enqueue(round: DeletionRequestEntity[]): Promise<void> {
    const enqueued = this.starts.enqueue(round);
    try {
      await withTimeout(enqueued, this.config.ENQUEUE_TIMEOUT_MS);
    } catch (error) {
      enqueued.catch(() => undefined);
      const ids =
        round.length === 1
          ? `request ${round[0]!.id}`
          : `${round.length} requests (${round[0]!.id} to ${round.at(-1)!.id})`;
      this.logger.warn(
        `${ids} recorded; the enqueue did not complete (${(error as Error).message}); the reconciler will finish it`,
      );
    }
  }
}

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}
