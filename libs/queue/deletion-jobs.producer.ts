import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { jobOf } from './job-of.js';
import { startDeletionJobId } from './job-options.js';
import { StartDeletionPayload } from './job-payloads.js';
import { JobName, QueueName } from './queue-names.js';

/** A request to start once its window ends. */
export interface Start {
  payload: StartDeletionPayload;
  finalAt: Date;
}

/** The one typed way to put deletion work on the queues. */
@Injectable()
export class DeletionJobsProducer {
  constructor(@InjectQueue(QueueName.Orchestrator) private readonly orchestrator: Queue) {}

  /**
   * Adds each request's orchestrator job, delayed until its window ends, in one Redis round trip (`addBulk`).
   * Idempotent by job id.
   */
  async enqueueStarts(starts: readonly Start[], now: Date = new Date()): Promise<void> {
    await this.orchestrator.addBulk(
      starts.map(({ payload, finalAt }) =>
        jobOf(JobName.StartDeletion, payload, {
          jobId: startDeletionJobId(payload.requestId),
          delay: Math.max(0, finalAt.getTime() - now.getTime()),
        }),
      ),
    );
  }

  /** Removes a canceled request's delayed job. Best effort: a job that fires anyway sees the cancel and stops. */
  async removeStart(requestId: string): Promise<void> {
    await this.orchestrator.remove(startDeletionJobId(requestId));
  }
}
