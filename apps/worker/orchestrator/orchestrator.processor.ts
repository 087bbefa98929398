import { parseStartDeletionPayload, QueueName } from '#app/queue';
import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { JobHandler } from '../runtime/job-handler.js';

/** Picks up a request when its cancellation window ends. */
@Injectable()
export class OrchestratorProcessor implements JobHandler {
  readonly queue = QueueName.Orchestrator;
  private readonly logger = new Logger(OrchestratorProcessor.name);

  async handle(job: Job): Promise<void> {
    const payload = parseStartDeletionPayload(job.data);
    this.logger.log(`request ${payload.requestId}: cancellation window ended (job ${job.id})`);
  }
}
