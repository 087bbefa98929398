import { AppConfig } from '#app/config';
import { DeletionRequestEntity } from '#app/database';
import { withTimeout } from '#app/domain';
import { StartEnqueuer } from '#app/lifecycle';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';

/**
 * The outbox relay of this API process: once a create's row is committed (and answered), adds its delayed
 * orchestrator job, then marks the row enqueued. It never fails a create: when Redis does not answer in time
 * the row stays unmarked and the worker's reconciler enqueues it; a mark that never lands (PostgreSQL gone,
 * a crash) costs one harmless re-add of the same job id.
 */
@Injectable()
export class JobRelay implements BeforeApplicationShutdown {
  private readonly logger = new Logger(JobRelay.name);
  /** Relays in flight, by request id. */
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    private readonly starts: StartEnqueuer,
    private readonly config: AppConfig,
  ) {}

  relay(request: DeletionRequestEntity): void {
    const relay = this.enqueue(request).finally(() => this.inFlight.delete(request.id));
    this.inFlight.set(request.id, relay);
  }

  /** Resolves once this process's relay of the request, if any, has ended (a cancel waits for it). */
  async settled(requestId: string): Promise<void> {
    await this.inFlight.get(requestId);
  }

  /** Lets the relays in flight reach Redis (or time out) before the connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  private async enqueue(request: DeletionRequestEntity): Promise<void> {
    const enqueued = this.starts.enqueue(request);
    try {
      await withTimeout(enqueued, this.config.ENQUEUE_TIMEOUT_MS);
    } catch (error) {
      enqueued.catch(() => undefined);
      this.logger.warn(
        `request ${request.id} recorded; its enqueue did not complete (${(error as Error).message}); the reconciler will finish it`,
      );
    }
  }
}
