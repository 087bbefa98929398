import { AppConfig } from '#app/config';
import { WebhookDeliveriesRepository, type QueuedDelivery } from '#app/database';
import { deliverWebhookJobId, JobName, QueueName, workerQueues } from '#app/queue';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';

const PAGE = 500;

/**
 * Moves the deliveries the outbox wrote onto the webhook-deliveries queue, every WEBHOOK_DISPATCH_INTERVAL_MS:
 * the jobs first, then the mark, so a crash in between only re-adds jobs that exist (deterministic ids).
 * Runs in the processes that consume the queue; several at once add the same jobs, harmlessly.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly config: AppConfig,
    private readonly deliveries: WebhookDeliveriesRepository,
    @InjectQueue(QueueName.WebhookDeliveries) private readonly queue: Queue,
  ) {}

  onApplicationBootstrap(): void {
    if (!workerQueues(this.config).includes(QueueName.WebhookDeliveries)) return;
    this.timer = setInterval(() => void this.tick(), this.config.WEBHOOK_DISPATCH_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Adds the jobs of these deliveries (also the reconciler's repair). */
  async enqueue(deliveries: readonly QueuedDelivery[]): Promise<void> {
    await this.queue.addBulk(
      deliveries.map((delivery) => ({
        name: JobName.DeliverWebhook,
        data: {
          deliveryId: delivery.id,
          round: delivery.round,
          requestId: delivery.requestId,
          siteId: delivery.siteId,
        },
        opts: { jobId: deliverWebhookJobId(delivery.id, delivery.round) },
      })),
    );
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        const page = await this.deliveries.unqueued(PAGE);
        if (page.length === 0) break;
        await this.enqueue(page);
        await this.deliveries.markQueued(page);
        if (page.length < PAGE) break;
      }
    } catch (error) {
      this.logger.warn(`could not dispatch webhook deliveries (${(error as Error).message}); trying again`);
    } finally {
      this.running = false;
    }
  }
}
