import type { StoreName } from '#app/domain';
import {
  InvalidPayloadError,
  JobName,
  parsePurgeChunkPayload,
  parseReplayChunkPayload,
  PURGE_QUEUE_OF,
  type QueueName,
} from '#app/queue';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { JobHandler } from '../runtime/job-handler.js';
import type { PurgeService } from './purge.service.js';

/**
 * One store's purge queue: its requests' purge chunks and its replays' chunks. One instance per store, so each
 * store's queue is consumed on its own.
 */
export class PurgeProcessor implements JobHandler {
  readonly queue: QueueName;

  constructor(
    readonly store: StoreName,
    private readonly purge: PurgeService,
  ) {
    this.queue = PURGE_QUEUE_OF[store];
  }

  async handle(job: Job, token?: string): Promise<string> {
    let payload;
    try {
      payload = job.name === JobName.ReplayChunk ? parseReplayChunkPayload(job.data) : parsePurgeChunkPayload(job.data);
    } catch (error) {
      if (error instanceof InvalidPayloadError) throw new UnrecoverableError(error.message);
      throw error;
    }
    if (payload.store !== this.store) throw new UnrecoverableError(`job for store ${payload.store} on ${this.queue}`);
    const attempts = job.opts.attempts ?? 1;
    const step = await this.purge.purgeChunk(payload, job.attemptsMade + 1, job.attemptsMade + 1 >= attempts);
    switch (step.kind) {
      case 'deferred':
        await job.moveToDelayed(step.until.getTime(), token);
        throw new DelayedError();
      case 'expired':
      case 'refused':
        throw new UnrecoverableError(step.message);
      default:
        return step.kind;
    }
  }
}
