import { WebhookDeliveriesRepository } from '#app/database';
import { deliverWebhookJobId, QueueName } from '#app/queue';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { WebhookDispatcher } from './webhook-dispatcher.js';

const PAGE = 500;

/**
 * The reconciler's webhook step (docs/ARCHITECTURE.md, "Reconciler"): every pending delivery already queued has
 * its job in Redis; one Redis lost is added again, one that failed for good (PostgreSQL down for all its tries)
 * is retried. PostgreSQL is the source of truth.
 */
@Injectable()
export class WebhookReconciler {
  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly dispatcher: WebhookDispatcher,
    @InjectQueue(QueueName.WebhookDeliveries) private readonly queue: Queue,
  ) {}

  async reconcile(): Promise<{ restored: number; retried: number }> {
    const report = { restored: 0, retried: 0 };
    let afterId = '0';
    for (;;) {
      const page = await this.deliveries.pendingQueued(afterId, PAGE);
      if (page.length === 0) return report;
      const lost = [];
      for (const delivery of page) {
        const job = await this.queue.getJob(deliverWebhookJobId(delivery.id, delivery.round));
        if (!job) lost.push(delivery);
        else if ((await job.getState()) === 'failed') {
          await job.retry();
          report.retried++;
        }
      }
      if (lost.length > 0) await this.dispatcher.enqueue(lost);
      report.restored += lost.length;
      afterId = page[page.length - 1]!.id;
    }
  }
}
