import { DeletionRequestEntity, DeletionRequestsRepository } from '#app/database';
import { Clock } from '#app/domain';
import { DeletionJobsProducer } from '#app/queue';
import { Injectable } from '@nestjs/common';

/**
 * Puts recorded requests on the queues (docs/ARCHITECTURE.md, "Outbox and relay"): their delayed orchestrator jobs, then the enqueue mark. Used
 * by the API's relay after creates and by the reconciler for what a crash or Redis lost; the job id makes a
 * repeat harmless. Provided by the apps that use it (it needs their Clock), not by LifecycleModule.
 */
@Injectable()
export class StartEnqueuer {
  constructor(
    private readonly producer: DeletionJobsProducer,
    private readonly requests: DeletionRequestsRepository,
    private readonly clock: Clock,
  ) {}

  /** One Redis round trip for all the jobs, then one statement marks all the rows. */
  async enqueue(
    requests: readonly Pick<DeletionRequestEntity, 'id' | 'siteId' | 'correlationId' | 'finalAt'>[],
  ): Promise<void> {
    if (requests.length === 0) return;
    await this.producer.enqueueStarts(
      requests.map((request) => ({
        payload: { requestId: request.id, siteId: request.siteId, correlationId: request.correlationId ?? undefined },
        finalAt: request.finalAt,
      })),
      this.clock.now(),
    );
    await this.requests.markEnqueued(requests.map((request) => request.id));
  }
}
