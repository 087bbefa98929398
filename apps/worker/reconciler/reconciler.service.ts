import { AppConfig } from '#app/config';
import { DeletionRequestEntity, PurgeProgressRepository, StoreReplaysRepository } from '#app/database';
import { Clock, RequestStatus } from '#app/domain';
import { FanOutService, StartEnqueuer, StoreReplayService } from '#app/lifecycle';
import { metrics } from '#app/observability';
import { createRedisClient, finishDeletionJobId, QueueName, startDeletionJobId, type RedisClient } from '#app/queue';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { WebhookReconciler } from '../webhooks/webhook-reconciler.js';
import { WebhookRetention } from '../webhooks/webhook-retention.js';

const PAGE = 500;
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
  /** Pending webhook deliveries whose job Redis lost, or which had failed for good, added or retried. */
  webhooks: number;
  /** Chunks of running store replays whose jobs Redis lost, re-added. */
  replays: number;
}

/**
 * Rebuilds from PostgreSQL whatever the queues should hold (docs/ARCHITECTURE.md, "Reconciler"): PostgreSQL is the source of truth
 * and Redis only the transport, so a flushed or restarted-empty Redis loses nothing. Deterministic job ids
 * make every repair harmless to repeat. Pending requests are checked a page at a time with one pipelined
 * EXISTS, so a reconcile costs a few round trips per thousand requests. Each run also prunes webhook rows past
 * their retention.
 */
@Injectable()
export class ReconcilerService implements OnApplicationShutdown {
  private readonly logger = new Logger(ReconcilerService.name);
  private readonly redis: RedisClient;

  constructor(
    private readonly progress: PurgeProgressRepository,
    private readonly starts: StartEnqueuer,
    private readonly fanOut: FanOutService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly replays: StoreReplaysRepository,
    private readonly replayService: StoreReplayService,
    @InjectQueue(QueueName.Orchestrator) private readonly orchestrator: Queue,
    private readonly webhooks: WebhookReconciler,
    private readonly webhookRetention: WebhookRetention,
  ) {
    this.redis = createRedisClient(config, 'worker', {
      commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
      keepAliveMs: config.TCP_KEEPALIVE_DELAY_MS,
    });
    this.redis.on('error', () => undefined);
  }

  async reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = { enqueued: 0, restored: 0, resumed: 0, retried: 0, webhooks: 0, replays: 0 };
    const now = this.clock.now();
    // What entered its state in the last moments is in flight (the API enqueuing, the orchestrator fanning out).
    const settledBefore = new Date(now.getTime() - Math.min(MAX_GRACE_MS, this.config.RECONCILE_INTERVAL_MS));

    await this.eachPage(RequestStatus.NotStarted, settledBefore, true, async (page) => {
      // Together, so the adds and marks of a page share their round trips.
      await this.starts.enqueue(page);
      report.enqueued += page.length;
    });
    await this.eachPage(RequestStatus.NotStarted, settledBefore, false, async (page) => {
      const present = await this.jobsExist(page.map((request) => startDeletionJobId(request.id)));
      const lost = page.filter((_, i) => !present[i]);
      await this.starts.enqueue(lost);
      report.restored += lost.length;
      for (const [i, request] of page.entries()) {
        // Overdue yet not started: its job may have failed for good while PostgreSQL was down.
        if (present[i] && request.finalAt < settledBefore && (await this.retryIfFailed(startDeletionJobId(request.id))))
          report.retried++;
      }
    });
    await this.eachPage(RequestStatus.InProgress, settledBefore, false, async (page) => {
      const present = await this.jobsExist(page.map((request) => finishDeletionJobId(request.id, request.run)));
      for (const [i, request] of page.entries()) {
        if (!present[i]) {
          await this.fanOut.fanOut(request, await this.progress.storesToResume(request.id));
          report.resumed++;
        } else if (await this.retryIfFailed(finishDeletionJobId(request.id, request.run))) {
          report.retried++;
        }
      }
    });
    const webhooks = await this.webhooks.reconcile();
    report.webhooks = webhooks.restored + webhooks.retried;
    for (const replay of await this.replays.running(settledBefore)) {
      report.replays += await this.replayService.enqueue(replay, (keys) => this.keysExist(keys));
    }
    // Not a repair, so not in the report: it logs what it deleted. Last, and on its own, so a slow prune (a lock
    // or statement timeout) never keeps the repairs above from running or being counted.
    await this.webhookRetention.prune().catch((error: unknown) => {
      this.logger.warn(`webhook retention did not complete: ${(error as Error).message}; the next run retries`);
    });
    for (const [kind, count] of Object.entries(report) as [string, number][])
      if (count > 0) metrics.reconcilerRepairs.inc({ kind }, count);
    if (Object.values(report).some((count) => count > 0)) {
      this.logger.warn(`reconciler repaired ${JSON.stringify(report)}`);
    }
    return report;
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }

  /** Whether each orchestrator job's hash is in Redis. */
  private jobsExist(jobIds: string[]): Promise<boolean[]> {
    return this.keysExist(jobIds.map((jobId) => this.orchestrator.toKey(jobId)));
  }

  /** Whether each key is in Redis: one pipelined EXISTS for the lot (one hash tag: one cluster slot). */
  private async keysExist(keys: string[]): Promise<boolean[]> {
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.exists(key);
    const results = (await pipeline.exec()) ?? [];
    return keys.map((_, i) => {
      const [error, count] = results[i] ?? [new Error('no answer'), 0];
      if (error) throw error;
      return count === 1;
    });
  }

  private async retryIfFailed(jobId: string): Promise<boolean> {
    const job: Job | undefined = await this.orchestrator.getJob(jobId);
    if (!job || (await job.getState()) !== 'failed') return false;
    await job.retry();
    return true;
  }

  /** Visits, a page at a time, the requests in `status` that entered it before `settledBefore`. */
  private async eachPage(
    status: RequestStatus,
    settledBefore: Date,
    onlyNotEnqueued: boolean,
    visit: (page: DeletionRequestEntity[]) => Promise<void>,
  ): Promise<void> {
    let afterId = '0';
    for (;;) {
      const page = await this.progress.page(status, afterId, PAGE, settledBefore, onlyNotEnqueued);
      if (page.length === 0) return;
      await visit(page);
      afterId = page[page.length - 1].id;
    }
  }
}
