import { AppConfig } from '#app/config';
import { jobOf, JobName, QueueName, workerQueues } from '#app/queue';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';

export const RECONCILER_SCHEDULER_ID = 'reconciler';

/**
 * Keeps the reconciler's BullMQ job scheduler in place. Upserting it is idempotent, and re-doing it every
 * interval restores it after Redis was flushed (the scheduler itself lives in Redis).
 */
@Injectable()
export class ReconcilerScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReconcilerScheduler.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Orchestrator) private readonly orchestrator: Queue,
  ) {}

  onApplicationBootstrap(): void {
    if (!workerQueues(this.config).includes(QueueName.Orchestrator)) return;
    // Fire and forget: upsert logs its own failure and the next interval tries again.
    void this.upsert();
    this.timer = setInterval(() => void this.upsert(), this.config.RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async upsert(): Promise<void> {
    try {
      await this.orchestrator.upsertJobScheduler(
        RECONCILER_SCHEDULER_ID,
        { every: this.config.RECONCILE_INTERVAL_MS },
        jobOf(JobName.Reconcile, {}, { removeOnComplete: true, removeOnFail: 100, attempts: 1 }),
      );
    } catch (error) {
      this.logger.warn(`could not schedule the reconciler (${(error as Error).message}); trying again later`);
    }
  }
}
