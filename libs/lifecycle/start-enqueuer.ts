import { DeletionRequestEntity, DeletionRequestsRepository } from '#app/database';
import { Clock } from '#app/domain';
import { DeletionJobsProducer } from '#app/queue';
import { Injectable } from '@nestjs/common';

/**
 * Puts a recorded request on the queues (DESIGN §4): its delayed orchestrator job, then the enqueue mark. Used
 * by the API's relay after a create and by the reconciler for what a crash or Redis lost; the job id makes a
 * repeat harmless. Provided by the apps that use it (it needs their Clock), not by LifecycleModule.
 */
@Injectable()
export class StartEnqueuer {
  constructor(
    private readonly producer: DeletionJobsProducer,
    private readonly requests: DeletionRequestsRepository,
    private readonly clock: Clock,
  ) {}

  async enqueue(request: Pick<DeletionRequestEntity, 'id' | 'siteId' | 'correlationId' | 'finalAt'>): Promise<void> {
    await this.producer.enqueueStart(
      { requestId: request.id, siteId: request.siteId, correlationId: request.correlationId ?? undefined },
      request.finalAt,
      this.clock.now(),
    );
    await this.requests.markEnqueued(request.id);
  }
}
