import { AppConfig } from '#app/config';
import { queueConcurrency, redisOptions, workerQueues } from '#app/queue';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Worker } from 'bullmq';
import { JOB_HANDLERS, type JobHandler } from './job-handler.js';

/**
 * Runs one BullMQ worker per queue this process consumes (`WORKER_QUEUES`), each with its configured
 * concurrency. On shutdown it stops fetching and waits for the jobs in hand, up to SHUTDOWN_TIMEOUT_SECONDS;
 * a job cut short then is picked up again by another worker once its lock expires.
 */
@Injectable()
export class QueueWorkersService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(QueueWorkersService.name);
  private readonly workers: Worker[] = [];
  private stopping = false;

  constructor(
    private readonly config: AppConfig,
    @Inject(JOB_HANDLERS) private readonly handlers: JobHandler[],
  ) {}

  onApplicationBootstrap(): void {
    const queues = workerQueues(this.config);
    for (const handler of this.handlers.filter((candidate) => queues.includes(candidate.queue))) {
      const worker = new Worker(handler.queue, (job, token) => handler.handle(job, token), {
        connection: redisOptions(this.config.REDIS_URL, 'worker'),
        prefix: this.config.QUEUE_PREFIX,
        concurrency: queueConcurrency(this.config, handler.queue),
        lockDuration: this.config.WORKER_LOCK_DURATION_MS,
        stalledInterval: this.config.WORKER_LOCK_DURATION_MS,
        maxStalledCount: 5,
      });
      worker.on('failed', (job, error) =>
        this.logger.warn(`job ${job?.id} on ${handler.queue} failed (attempt ${job?.attemptsMade}): ${error.message}`),
      );
      worker.on('error', (error) => this.logger.error(`worker ${handler.queue}: ${error.message}`));
      this.workers.push(worker);
      this.logger.log(`consuming ${handler.queue} with concurrency ${worker.concurrency}`);
    }
  }

  /** The queues being consumed now, for readiness. */
  running(): { queue: string; running: boolean }[] {
    return this.workers.map((worker) => ({ queue: worker.name, running: !this.stopping && worker.isRunning() }));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const timeoutMs = this.config.SHUTDOWN_TIMEOUT_SECONDS * 1000;
    const graceful = Promise.all(this.workers.map((worker) => worker.close()));
    const timedOut = await Promise.race([
      graceful.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), timeoutMs).unref()),
    ]);
    if (timedOut) {
      this.logger.warn(`jobs still running after ${timeoutMs} ms; closing anyway (they will be retried)`);
      await Promise.all(this.workers.map((worker) => worker.close(true)));
    }
  }
}
