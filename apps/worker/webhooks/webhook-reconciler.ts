import { WebhookDeliveriesRepository } from '#app/database';
import { deliverWebhookJobId, QueueName } from '#app/queue';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { WebhookDispatcher } from './webhook-dispatcher.js';

const PAGE = 500;
/** Job states in which a job will not run again by itself. */
const ENDED = new Set(['failed', 'completed', 'unknown']);

/**
 * The reconciler's webhook step (docs/ARCHITECTURE.md, "Reconciler"): every pending delivery already queued has
 * its job in Redis; one Redis lost is added again, and so is one that ended (failed for good, or half lost) while
 * still pending. PostgreSQL is the source of truth.
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
        else if (ENDED.has(await job.getState())) {
          // Ended while PostgreSQL still says pending (failed for good, or a hash half lost with Redis): added
          // afresh rather than retried, since its data may be what failed it.
          await job.remove();
          lost.push(delivery);
          report.retried++;
        }
      }
      if (lost.length > 0) await this.dispatcher.enqueue(lost);
      report.restored += lost.length;
      afterId = page[page.length - 1].id;
    }
  }
}
