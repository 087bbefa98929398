import type { DeliverWebhookPayload } from '#app/queue';
import { Injectable } from '@nestjs/common';
import type { JobOutcome } from '../runtime/job-registry.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';

/** The webhook-deliveries queue: a retry or an in-order wait moves the job back to delayed (the runner does it). */
@Injectable()
export class WebhookDeliveryProcessor {
  constructor(private readonly service: WebhookDeliveryService) {}

  async deliver(payload: DeliverWebhookPayload): Promise<JobOutcome> {
    const step = await this.service.deliver(payload);
    return step.kind === 'wait' ? { kind: 'delay', until: step.until } : { kind: 'done', value: step.kind };
  }
}
