import { InvalidPayloadError, parseDeliverWebhookPayload, QueueName } from '#app/queue';
import { Injectable } from '@nestjs/common';
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { JobHandler } from '../runtime/job-handler.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';

/** The webhook-deliveries queue: a retry or an in-order wait moves the job back to delayed. */
@Injectable()
export class WebhookDeliveryProcessor implements JobHandler {
  readonly queue = QueueName.WebhookDeliveries;

  constructor(private readonly service: WebhookDeliveryService) {}

  async handle(job: Job, token?: string): Promise<string> {
    let payload;
    try {
      payload = parseDeliverWebhookPayload(job.data);
    } catch (error) {
      if (error instanceof InvalidPayloadError) throw new UnrecoverableError(error.message);
      throw error;
    }
    const step = await this.service.deliver(payload);
    if (step.kind === 'wait') {
      await job.moveToDelayed(step.until.getTime(), token);
      throw new DelayedError();
    }
    return step.kind;
  }
}
