import { AppConfig } from '#app/config';
import { metrics, type ReadinessCheck } from '#app/observability';
import {
  bullConnection,
  closeBullConnection,
  queueConcurrency,
  storeOfQueue,
  workerQueues,
  type QueueName,
} from '#app/queue';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { JobRegistry } from './job-registry.js';
import { JobRunner } from './job-runner.js';

/**
 * Runs one BullMQ worker per queue this process consumes (`WORKER_QUEUES`), each with its configured
 * concurrency. Every job runs in a logging context carrying the HTTP request id it descends from, the request id,
 * the queue and the job id, and is timed into the metrics. On shutdown it stops fetching and waits for the jobs in
 * hand, up to SHUTDOWN_TIMEOUT_SECONDS; a job cut short then is taken over by another worker once its lock expires.
 * It refuses to start when a job name of a consumed queue has no handler in the registry.
 */
@Injectable()
export class QueueWorkersService implements OnApplicationBootstrap, BeforeApplicationShutdown, ReadinessCheck {
  readonly name = 'workers';
  private readonly logger = new Logger(QueueWorkersService.name);
  private readonly workers: Worker[] = [];
  private readonly runner: JobRunner;
  private readonly connections: ConnectionOptions[] = [];

  constructor(
    private readonly config: AppConfig,
    private readonly pino: PinoLogger,
    private readonly registry: JobRegistry,
  ) {
    this.runner = new JobRunner(registry);
  }

  onApplicationBootstrap(): void {
    const queues = workerQueues(this.config);
    this.registry.assertHandles(queues);
    for (const queue of queues) {
      // No command timeout: the Worker's blocking reads wait for jobs (BullMQ bounds them itself).
      const connection = bullConnection(this.config, 'worker', { keepAliveMs: this.config.TCP_KEEPALIVE_DELAY_MS });
      this.connections.push(connection);
      const worker = new Worker(queue, (job, token) => this.run(queue, job, token), {
        connection,
        prefix: this.config.QUEUE_PREFIX,
        concurrency: queueConcurrency(this.config, queue),
        lockDuration: this.config.WORKER_LOCK_DURATION_MS,
        stalledInterval: this.config.WORKER_LOCK_DURATION_MS,
        maxStalledCount: 5,
      });
      worker.on('failed', (job, error) =>
        this.logger.warn(`job ${job?.id} on ${queue} failed (attempt ${job?.attemptsMade}): ${error.message}`),
      );
      worker.on('error', (error) => this.logger.error(`worker ${queue}: ${error.message}`));
      this.workers.push(worker);
      this.logger.log(`consuming ${queue} with concurrency ${worker.concurrency}`);
    }
  }

  private run(queue: QueueName, job: Job, token?: string): Promise<unknown> {
    const data = (job.data ?? {}) as { correlationId?: unknown; requestId?: unknown; siteId?: unknown };
    const bindings = {
      reqId: typeof data.correlationId === 'string' ? data.correlationId : undefined,
      site_id: typeof data.siteId === 'string' ? data.siteId : undefined,
      request_id: typeof data.requestId === 'string' ? data.requestId : undefined,
      queue,
      job_id: job.id,
    };
    const labels = { queue, store: storeOfQueue(queue) ?? 'none' };
    return this.pino.runInContext(
      async () => {
        const stop = metrics.jobDuration.startTimer(labels);
        let outcome = 'failed';
        try {
          const result = await this.runner.run(queue, job, token);
          outcome = 'completed';
          return result;
        } catch (error) {
          if (error instanceof DelayedError) outcome = 'delayed';
          throw error;
        } finally {
          stop({ outcome });
          metrics.jobs.inc({ ...labels, outcome });
        }
      },
      { bindings },
    );
  }

  /** Readiness: every queue consumer of this process is running (shutdown is the health check's own). */
  problem(): Promise<string | undefined> {
    const stopped = this.workers.filter((worker) => !worker.isRunning()).map((worker) => worker.name as QueueName);
    return Promise.resolve(stopped.length > 0 ? `not consuming ${stopped.join(', ')}` : undefined);
  }

  async beforeApplicationShutdown(): Promise<void> {
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
    await Promise.all(this.connections.map(closeBullConnection));
  }
}
