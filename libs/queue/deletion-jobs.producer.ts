import { Batcher } from '#app/domain';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { startDeletionJobId } from './job-options.js';
import { StartDeletionPayload } from './job-payloads.js';
import { JobName, QueueName } from './queue-names.js';

interface StartJob {
  name: JobName;
  data: StartDeletionPayload;
  opts: { jobId: string; delay: number };
}

/** The one typed way to put deletion work on the queues. */
@Injectable()
export class DeletionJobsProducer {
  /** Start jobs added together share one Redis round trip (`addBulk`, one MULTI). */
  private readonly starts = new Batcher<StartJob, void>(
    async (jobs) => {
      await this.orchestrator.addBulk(jobs);
      return jobs.map(() => undefined);
    },
    { maxBatch: 100, maxInFlight: 2 },
  );

  constructor(@InjectQueue(QueueName.Orchestrator) private readonly orchestrator: Queue) {}

  /** Adds the request's orchestrator job, delayed until its window ends. Idempotent by job id. */
  enqueueStart(payload: StartDeletionPayload, finalAt: Date, now: Date = new Date()): Promise<void> {
    return this.starts.submit({
      name: JobName.StartDeletion,
      data: payload,
      opts: { jobId: startDeletionJobId(payload.requestId), delay: Math.max(0, finalAt.getTime() - now.getTime()) },
    });
  }

  /** Removes a canceled request's delayed job. Best effort: a job that fires anyway sees the cancel and stops. */
  async removeStart(requestId: string): Promise<void> {
    await this.orchestrator.remove(startDeletionJobId(requestId));
  }
}
