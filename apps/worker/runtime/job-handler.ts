import type { QueueName } from '#app/queue';
import type { Job } from 'bullmq';

/** A thin processor: re-validates the payload it picks up and hands it to a service. */
export interface JobHandler {
  readonly queue: QueueName;
  /** `token`: the job's lock token, which moving a job back to delayed needs. */
  handle(job: Job, token?: string): Promise<unknown>;
}

/** Injection token for the list of handlers the worker app registers. */
export const JOB_HANDLERS = Symbol('JOB_HANDLERS');
