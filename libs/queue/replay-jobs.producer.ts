import { AppConfig } from '#app/config';
import { StoreName } from '#app/domain';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DEFAULT_JOB_OPTIONS, replayChunkJobId } from './job-options.js';
import type { ReplayChunkPayload } from './job-payloads.js';
import { JobName, QueueName } from './queue-names.js';

/** A replay chunk to put on its store's queue, not before `delayMs` from now (the replay's throttle). */
export interface ReplayJob {
  payload: ReplayChunkPayload;
  delayMs: number;
}

/**
 * Puts store replay chunks on the store's purge queue, as delayed jobs spread by the replay's throttle: the
 * queue's normal purges are never held back by a replay (a rate limiter would hold the whole queue). Job ids
 * are deterministic, so re-adding a replay's chunks (a second start, the reconciler) adds only what is missing.
 */
@Injectable()
export class ReplayJobsProducer {
  private readonly queues: Record<StoreName, Queue>;

  constructor(
    private readonly config: AppConfig,
    @InjectQueue(QueueName.PurgeChat) chat: Queue,
    @InjectQueue(QueueName.PurgeMessaging) messaging: Queue,
    @InjectQueue(QueueName.PurgeConsumer) consumer: Queue,
    @InjectQueue(QueueName.PurgeTicketing) ticketing: Queue,
  ) {
    this.queues = {
      [StoreName.Chat]: chat,
      [StoreName.Messaging]: messaging,
      [StoreName.Consumer]: consumer,
      [StoreName.Ticketing]: ticketing,
    };
  }

  /** The Redis keys of these chunks' jobs, so a resume can tell which ones Redis lost. */
  jobKeys(store: StoreName, chunks: readonly Pick<ReplayChunkPayload, 'replayId' | 'requestId' | 'chunk'>[]): string[] {
    return chunks.map((c) => this.queues[store].toKey(replayChunkJobId(c.replayId, c.requestId, c.chunk)));
  }

  /**
   * Retries the chunks' jobs that failed for good (their last failure could not be recorded: PostgreSQL was
   * down), one round trip each; returns how many it retried.
   */
  async retryFailed(
    store: StoreName,
    chunks: readonly Pick<ReplayChunkPayload, 'replayId' | 'requestId' | 'chunk'>[],
  ): Promise<number> {
    let retried = 0;
    for (const c of chunks) {
      const job = await this.queues[store].getJob(replayChunkJobId(c.replayId, c.requestId, c.chunk));
      if (job && (await job.getState()) === 'failed') {
        await job.retry();
        retried++;
      }
    }
    return retried;
  }

  /** Adds the chunks of one store, a thousand per Redis round trip. */
  async add(store: StoreName, jobs: readonly ReplayJob[]): Promise<void> {
    for (let from = 0; from < jobs.length; from += 1000) {
      await this.queues[store].addBulk(
        jobs.slice(from, from + 1000).map(({ payload, delayMs }) => ({
          name: JobName.ReplayChunk,
          data: payload,
          opts: {
            ...DEFAULT_JOB_OPTIONS,
            jobId: replayChunkJobId(payload.replayId, payload.requestId, payload.chunk),
            delay: delayMs,
            attempts: this.config.PURGE_ATTEMPTS,
            backoff: { type: 'exponential', delay: this.config.PURGE_BACKOFF_MS },
          },
        })),
      );
    }
  }
}
