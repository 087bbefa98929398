import type { FinishDeletionPayload, StartDeletionPayload } from '#app/queue';
import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ReconcilerService } from '../reconciler/reconciler.service.js';
import type { JobOutcome } from '../runtime/job-registry.js';
import { DeletionOrchestratorService } from './deletion-orchestrator.service.js';

/** The orchestrator queue's jobs: window ends, flow parents, and the reconciler's repeating job. */
@Injectable()
export class OrchestratorProcessor {
  constructor(
    private readonly orchestrator: DeletionOrchestratorService,
    private readonly reconciler: ReconcilerService,
  ) {}

  async start(payload: StartDeletionPayload): Promise<JobOutcome> {
    const outcome = await this.orchestrator.start(payload);
    // Fired before the window ended (a re-added job): wait for the rest of it.
    if (typeof outcome === 'object') return { kind: 'delay', until: outcome.notBefore };
    return { kind: 'done', value: outcome };
  }

  async finish(payload: FinishDeletionPayload, job: Job): Promise<JobOutcome> {
    const failures = Object.values(await job.getIgnoredChildrenFailures());
    return { kind: 'done', value: await this.orchestrator.finish(payload, failures) };
  }

  async reconcile(): Promise<JobOutcome> {
    return { kind: 'done', value: await this.reconciler.reconcile() };
  }
}
