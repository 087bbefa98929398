import { InvalidPayloadError, type QueueName } from '#app/queue';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { JobRegistry } from './job-registry.js';

/**
 * Runs one job through its registry entry and turns the handler's outcome into what BullMQ understands: the one
 * place that moves a job to delayed, and that fails for good a payload off the contract or an unknown job name.
 */
export class JobRunner {
  constructor(private readonly registry: JobRegistry) {}

  /** `token`: the job's lock token, which moving it back to delayed needs. */
  async run(queue: QueueName, job: Job, token?: string): Promise<unknown> {
    const entry = this.registry.entryFor(queue, job.name);
    if (!entry) throw new UnrecoverableError(`unknown job name ${job.name} on ${queue}`);
    let outcome;
    try {
      outcome = await entry.handle(entry.parse(job.data), { queue, job });
    } catch (error) {
      if (error instanceof InvalidPayloadError) throw new UnrecoverableError(error.message);
      throw error;
    }
    switch (outcome.kind) {
      case 'done':
        return outcome.value;
      case 'delay':
        await job.moveToDelayed(outcome.until.getTime(), token);
        throw new DelayedError();
      case 'fail':
        throw new UnrecoverableError(outcome.message);
    }
  }
}
