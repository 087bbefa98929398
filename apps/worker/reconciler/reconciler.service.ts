import { AppConfig } from '#app/config';
import { DeletionRequestEntity, DeletionRequestsRepository, PurgeProgressRepository } from '#app/database';
import { Clock, RequestStatus } from '#app/domain';
import { FanOutService } from '#app/lifecycle';
import { metrics } from '#app/observability';
import { DeletionJobsProducer, finishDeletionJobId, QueueName, startDeletionJobId } from '#app/queue';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';

const PAGE = 500;
const PARALLEL_LOOKUPS = 50;
const MAX_GRACE_MS = 10_000;

export interface ReconcileReport {
  /** Rows the API committed but could not enqueue. */
  enqueued: number;
  /** NOT_STARTED requests whose delayed job Redis lost. */
  restored: number;
  /** IN_PROGRESS requests whose flow Redis lost. */
  resumed: number;
  /** Orchestrator jobs that had failed for good (PostgreSQL down for all their tries), tried again. */
  retried: number;
}

/**
 * Rebuilds from PostgreSQL whatever the queues should hold (DESIGN §4): PostgreSQL is the source of truth
 * and Redis only the transport, so a flushed or restarted-empty Redis loses nothing. Deterministic job ids
 * make every repair harmless to repeat.
 */
@Injectable()
export class ReconcilerService {
  private readonly logger = new Logger(ReconcilerService.name);

  constructor(
    private readonly requests: DeletionRequestsRepository,
    private readonly progress: PurgeProgressRepository,
    private readonly producer: DeletionJobsProducer,
    private readonly fanOut: FanOutService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Orchestrator) private readonly orchestrator: Queue,
  ) {}

  async reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = { enqueued: 0, restored: 0, resumed: 0, retried: 0 };
    await this.eachPage(RequestStatus.NotStarted, true, async (request) => {
      await this.enqueueStart(request);
      report.enqueued++;
    });
    await this.eachPage(RequestStatus.NotStarted, false, async (request, job) => {
      if (!job) {
        await this.enqueueStart(request);
        report.restored++;
      } else if ((await job.getState()) === 'failed') {
        await job.retry();
        report.retried++;
      }
    });
    await this.eachPage(RequestStatus.InProgress, false, async (request, job) => {
      if (!job) {
        await this.fanOut.fanOut(request, await this.progress.storesToResume(request.id));
        report.resumed++;
      } else if ((await job.getState()) === 'failed') {
        await job.retry();
        report.retried++;
      }
    });
    for (const [kind, count] of Object.entries(report)) if (count > 0) metrics.reconcilerRepairs.inc({ kind }, count);
    if (report.enqueued + report.restored + report.resumed + report.retried > 0) {
      this.logger.warn(`reconciler repaired ${JSON.stringify(report)}`);
    }
    return report;
  }

  private async enqueueStart(request: DeletionRequestEntity): Promise<void> {
    await this.producer.enqueueStart(
      { requestId: request.id, correlationId: request.correlationId ?? undefined },
      request.finalAt,
      this.clock.now(),
    );
    await this.requests.markEnqueued(request.id);
  }

  /** Visits every request in `status` with the job that should stand for it (undefined when Redis lost it). */
  private async eachPage(
    status: RequestStatus,
    onlyNotEnqueued: boolean,
    visit: (request: DeletionRequestEntity, job: Job | undefined) => Promise<void>,
  ): Promise<void> {
    // What entered its state in the last moments is in flight (the API enqueuing, the orchestrator fanning out).
    const settledBefore = new Date(
      this.clock.now().getTime() - Math.min(MAX_GRACE_MS, this.config.RECONCILE_INTERVAL_MS),
    );
    let afterId = '0';
    for (;;) {
      const page = await this.progress.page(status, afterId, PAGE, settledBefore, onlyNotEnqueued);
      if (page.length === 0) return;
      for (let start = 0; start < page.length; start += PARALLEL_LOOKUPS) {
        await Promise.all(
          page.slice(start, start + PARALLEL_LOOKUPS).map(async (request) => {
            const jobId =
              status === RequestStatus.NotStarted
                ? startDeletionJobId(request.id)
                : finishDeletionJobId(request.id, request.run);
            await visit(request, onlyNotEnqueued ? undefined : await this.orchestrator.getJob(jobId));
          }),
        );
      }
      afterId = page[page.length - 1]!.id;
    }
  }
}
