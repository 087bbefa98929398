import { AppConfig } from '#app/config';
import { withTimeout, type StoreName } from '#app/domain';
import { InjectFlowProducer } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { FlowProducer } from 'bullmq';
import { jobOf } from './job-of.js';
import { DEFAULT_JOB_OPTIONS, finishDeletionJobId, purgeChunkJobId } from './job-options.js';
import { JobName, PURGE_QUEUE_OF, QueueName } from './queue-names.js';

export const DELETION_FLOW_PRODUCER = 'deletion-flows';

export interface FlowChunk {
  store: StoreName;
  chunk: number;
  ids: string[];
}

/**
 * Adds a run's purge flow: one child per (store, chunk) on the store's queue, and a parent on the orchestrator
 * queue that runs once every child has ended, completed or failed after its retries (`ignoreDependencyOnFailure`),
 * so the parent never waits forever. Every id is deterministic: adding the same flow twice adds nothing.
 */
@Injectable()
export class DeletionFlowProducer {
  constructor(
    @InjectFlowProducer(DELETION_FLOW_PRODUCER) private readonly flows: FlowProducer,
    private readonly config: AppConfig,
  ) {}

  async add(
    request: { requestId: string; siteId: string; run: number; correlationId?: string },
    chunks: FlowChunk[],
  ): Promise<void> {
    const { requestId, siteId, run, correlationId } = request;
    // Bounded: on a Redis Cluster in failover the flow's commands can wait for the cluster with no limit of their
    // own, and the job would hold its lock for ever. A late add is harmless (deterministic ids); the job retries.
    const added = this.flows.add({
      ...jobOf(
        JobName.FinishDeletion,
        { requestId, run, siteId, correlationId },
        { ...DEFAULT_JOB_OPTIONS, jobId: finishDeletionJobId(requestId, run) },
      ),
      queueName: QueueName.Orchestrator,
      children: chunks.map(({ store, chunk, ids }) => ({
        ...jobOf(
          JobName.PurgeChunk,
          { requestId, siteId, run, store, chunk, ids, correlationId },
          {
            ...DEFAULT_JOB_OPTIONS,
            jobId: purgeChunkJobId(requestId, run, store, chunk),
            attempts: this.config.PURGE_ATTEMPTS,
            backoff: { type: 'exponential', delay: this.config.PURGE_BACKOFF_MS },
            ignoreDependencyOnFailure: true,
          },
        ),
        queueName: PURGE_QUEUE_OF[store],
      })),
    });
    await withTimeout(
      added,
      5 * this.config.REDIS_COMMAND_TIMEOUT_MS,
      () => new Error('adding the purge flow timed out'),
    );
  }
}
