import { storeOfQueue, type PurgeChunkPayload, type ReplayChunkPayload } from '#app/queue';
import { Injectable } from '@nestjs/common';
import type { JobContext, JobOutcome } from '../runtime/job-registry.js';
import { PurgeService } from './purge.service.js';

/**
 * The purge queues' jobs, one queue per store (each store's queue is consumed on its own): its requests' purge
 * chunks and its replays' chunks.
 */
@Injectable()
export class PurgeProcessor {
  constructor(private readonly purgeService: PurgeService) {}

  async purge(payload: PurgeChunkPayload | ReplayChunkPayload, { queue, job }: JobContext): Promise<JobOutcome> {
    if (payload.store !== storeOfQueue(queue))
      return { kind: 'fail', message: `job for store ${payload.store} on ${queue}` };
    const attempt = job.attemptsMade + 1;
    const step = await this.purgeService.purgeChunk(payload, attempt, attempt >= (job.opts.attempts ?? 1));
    switch (step.kind) {
      case 'deferred':
        return { kind: 'delay', until: step.until };
      case 'expired':
      case 'refused':
        return { kind: 'fail', message: step.message };
      default:
        return { kind: 'done', value: step.kind };
    }
  }
}
