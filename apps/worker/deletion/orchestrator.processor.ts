import {
  InvalidPayloadError,
  JobName,
  parseFinishDeletionPayload,
  parseStartDeletionPayload,
  QueueName,
} from '#app/queue';
import { Injectable } from '@nestjs/common';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { ReconcilerService } from '../reconciler/reconciler.service.js';
import type { JobHandler } from '../runtime/job-handler.js';
import { DeletionOrchestratorService } from './deletion-orchestrator.service.js';

/** The orchestrator queue: window ends, flow parents, and the reconciler's repeating job. */
@Injectable()
export class OrchestratorProcessor implements JobHandler {
  readonly queue = QueueName.Orchestrator;

  constructor(
    private readonly orchestrator: DeletionOrchestratorService,
    private readonly reconciler: ReconcilerService,
  ) {}

  async handle(job: Job, token?: string): Promise<unknown> {
    try {
      switch (job.name) {
        case JobName.StartDeletion: {
          const outcome = await this.orchestrator.start(parseStartDeletionPayload(job.data));
          if (typeof outcome === 'object') {
            // Fired before the window ended (a re-added job): wait for the rest of it.
            await job.moveToDelayed(outcome.notBefore.getTime(), token);
            throw new DelayedError();
          }
          return outcome;
        }
        case JobName.FinishDeletion: {
          const failures = Object.values(await job.getIgnoredChildrenFailures());
          return this.orchestrator.finish(parseFinishDeletionPayload(job.data), failures);
        }
        case JobName.Reconcile:
          return this.reconciler.reconcile();
        default:
          throw new UnrecoverableError(`unknown job name ${job.name} on ${this.queue}`);
      }
    } catch (error) {
      if (error instanceof InvalidPayloadError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}
