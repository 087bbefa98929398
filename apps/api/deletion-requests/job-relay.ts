import { AppConfig } from '#app/config';
import { DeletionRequestEntity, DeletionRequestsRepository } from '#app/database';
import { Clock, withTimeout } from '#app/domain';
import { DeletionJobsProducer } from '#app/queue';
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
    private readonly requests: DeletionRequestsRepository,
    private readonly producer: DeletionJobsProducer,
    private readonly clock: Clock,
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
    const payload = {
      requestId: request.id,
      siteId: request.siteId,
      correlationId: request.correlationId ?? undefined,
    };
    const added = this.producer.enqueueStart(payload, request.finalAt, this.clock.now());
    try {
      await withTimeout(added, this.config.ENQUEUE_TIMEOUT_MS);
    } catch (error) {
      added.catch(() => undefined);
      this.logger.warn(
        `request ${request.id} recorded but not enqueued (${(error as Error).message}); the reconciler will enqueue it`,
      );
      return;
    }
    try {
      await this.requests.markEnqueued(request.id);
    } catch (error) {
      this.logger.warn(
        `request ${request.id} enqueued but not marked (${(error as Error).message}); the reconciler will check it`,
      );
    }
  }
}
