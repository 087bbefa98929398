import { DeletionRequestsRepository } from '#app/database';
import { Clock, RequestStatus } from '#app/domain';
import { FanOutService, RequestLifecycle } from '#app/lifecycle';
import { metrics } from '#app/observability';
import type { FinishDeletionPayload, StartDeletionPayload } from '#app/queue';
import { Injectable, Logger } from '@nestjs/common';

/** The actor of the transitions the worker makes on its own. */
const WORKER_ACTOR = 'system:worker';

export type StartOutcome = 'started' | 'skipped' | { notBefore: Date };

/** What happens when a request's window ends, and when its purge flow has run (docs/ARCHITECTURE.md, "Request lifecycle", "Flows and retries"). */
@Injectable()
export class DeletionOrchestratorService {
  private readonly logger = new Logger(DeletionOrchestratorService.name);

  constructor(
    private readonly requests: DeletionRequestsRepository,
    private readonly fanOut: FanOutService,
    private readonly lifecycle: RequestLifecycle,
    private readonly clock: Clock,
  ) {}

  /**
   * Re-reads the request: canceled or finished, nothing happens; not due yet, it says when; otherwise marks it
   * IN_PROGRESS (a conditional update, so a cancel racing the window's end wins or loses cleanly) and adds
   * the flow. A retry after a crash finds it IN_PROGRESS and adds the same flow again, harmlessly.
   */
  async start({ requestId }: StartDeletionPayload): Promise<StartOutcome> {
    const request = await this.requests.findById(requestId);
    if (!request) {
      this.logger.warn(`request ${requestId}: not in the database; nothing to do`);
      return 'skipped';
    }
    if (request.status === RequestStatus.NotStarted) {
      const now = this.clock.now();
      if (request.finalAt > now) return { notBefore: request.finalAt };
      if (!(await this.lifecycle.start(requestId, now, WORKER_ACTOR))) {
        this.logger.log(`request ${requestId}: canceled before its window ended; nothing erased`);
        return 'skipped';
      }
      request.status = RequestStatus.InProgress;
    }
    if (request.status !== RequestStatus.InProgress) {
      this.logger.log(`request ${requestId}: ${request.status}; nothing to do`);
      return 'skipped';
    }
    await this.fanOut.fanOut(request);
    this.logger.log(`request ${requestId}: purge started (run ${request.run})`);
    return 'started';
  }

  /** Closes the run from the per-store rows: DONE when every store is done, FAILED otherwise. */
  async finish({ requestId, run }: FinishDeletionPayload, failedChildren: string[]): Promise<void> {
    const reason =
      failedChildren.length > 0 ? `purge jobs failed: ${failedChildren.join('; ')}` : 'purge did not complete';
    const status = await this.lifecycle.finish(requestId, run, reason.slice(0, 1000), WORKER_ACTOR);
    if (!status) return;
    metrics.requestsFinished.inc({ status });
    this.logger.log(`request ${requestId}: ${status} (run ${run})`);
  }
}
