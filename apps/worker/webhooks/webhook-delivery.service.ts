import { AppConfig } from '#app/config';
import { WebhookDeliveriesRepository, WebhookEndpointsRepository, type DeliveryToAttempt } from '#app/database';
import { metrics } from '#app/observability';
import { deliverWebhookJobId, QueueName, type DeliverWebhookPayload } from '#app/queue';
import {
  nextAttemptAt,
  parsePorts,
  resolverSettingsOf,
  WebhookEndpointsService,
  webhookMessageId,
  WebhookSender,
  type RetrySchedule,
  type SendResult,
} from '#app/webhooks';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Webhook } from 'standardwebhooks';

/** What the processor does next with the job. */
export type DeliveryStep = { kind: 'done' } | { kind: 'wait'; until: Date };

const DONE: DeliveryStep = { kind: 'done' };
/** How long a later event waits, at most, before looking again at the earlier one it follows. */
const MAX_ORDER_WAIT_MS = 30_000;
const HOUR_MS = 3600_000;

/**
 * One attempt at one delivery (docs/ARCHITECTURE.md, "Status-change webhooks"): in order per request and
 * endpoint, signed to the Standard Webhooks specification with the event's id as `webhook-id`, retried with
 * exponential backoff over WEBHOOK_RETRY_HOURS. Logs carry ids only: never the secret or the body.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly schedule: RetrySchedule;

  constructor(
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly secrets: WebhookEndpointsService,
    private readonly sender: WebhookSender,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.WebhookDeliveries) private readonly queue: Queue,
  ) {
    this.schedule = {
      baseMs: config.WEBHOOK_RETRY_BASE_MS,
      maxDelayMs: config.WEBHOOK_RETRY_MAX_DELAY_MS,
      windowMs: config.WEBHOOK_RETRY_HOURS * HOUR_MS,
    };
  }

  async deliver(payload: DeliverWebhookPayload): Promise<DeliveryStep> {
    const delivery = await this.deliveries.forAttempt(payload.deliveryId);
    if (!delivery || delivery.status !== 'pending' || delivery.round !== payload.round) return DONE;
    const now = new Date();
    if (!delivery.enabled) {
      await this.deliveries.failPendingOf(delivery.webhookId, 'the endpoint is disabled');
      return DONE;
    }
    const earlier = await this.deliveries.earlierPending(delivery);
    if (earlier) {
      const until = Math.min(Math.max(earlier.getTime(), now.getTime() + 250), now.getTime() + MAX_ORDER_WAIT_MS);
      return { kind: 'wait', until: new Date(until) };
    }
    if (delivery.nextAttemptAt && delivery.nextAttemptAt.getTime() > now.getTime() + 50) {
      return { kind: 'wait', until: delivery.nextAttemptAt };
    }
    const result = await this.attempt(delivery, now);
    return this.settle(delivery, result, now);
  }

  private attempt(delivery: DeliveryToAttempt, now: Date): Promise<SendResult> {
    const id = webhookMessageId(delivery.eventId);
    const signature = new Webhook(this.secrets.openSecret(delivery.secretEncrypted)).sign(id, now, delivery.body);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
      'user-agent': 'personal-data-deletion-webhooks/1',
    };
    return this.sender.send(delivery.url, headers, delivery.body, {
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
      allowPrivate: this.config.WEBHOOK_ALLOW_PRIVATE,
      production: this.config.NODE_ENV === 'production',
      allowedPorts: parsePorts(this.config.WEBHOOK_ALLOWED_PORTS),
      dns: resolverSettingsOf(this.config),
    });
  }

  private async settle(delivery: DeliveryToAttempt, result: SendResult, now: Date): Promise<DeliveryStep> {
    const next = result.ok ? null : nextAttemptAt(delivery.attempts + 1, delivery.retryFrom, now, this.schedule);
    const status = result.ok ? 'delivered' : next ? 'pending' : 'failed';
    const recorded = await this.deliveries.recordAttempt(delivery.id, delivery.round, {
      status,
      statusCode: result.statusCode,
      error: result.error,
      durationMs: result.durationMs,
      excerpt: result.excerpt,
      at: now,
      nextAttemptAt: next ?? now,
    });
    const outcome = result.ok ? 'delivered' : result.refused ? 'refused' : next ? 'retry' : 'failed';
    metrics.webhookDeliveries.inc({ outcome });
    metrics.webhookLatency.observe({ outcome }, result.durationMs / 1000);
    const ids = `event ${webhookMessageId(delivery.eventId)} webhook ${delivery.webhookId} request ${delivery.requestId}`;
    const line = `${ids} attempt ${delivery.attempts + 1}: ${outcome} (${result.error ?? result.statusCode}, ${result.durationMs} ms)`;
    if (result.ok) this.logger.log(line);
    else this.logger.warn(line);
    if (!recorded) return DONE;
    if (result.ok) {
      await this.endpoints.markHealthy(delivery.webhookId);
    } else {
      const disableAfterMs = this.config.WEBHOOK_DISABLE_AFTER_HOURS * HOUR_MS;
      const reason = `every delivery failed for ${this.config.WEBHOOK_DISABLE_AFTER_HOURS} h (last: ${result.error})`;
      if (await this.endpoints.markFailing(delivery.webhookId, now, disableAfterMs, reason)) {
        this.logger.warn(`webhook ${delivery.webhookId} of account ${delivery.siteId} disabled: ${reason}`);
        await this.deliveries.failPendingOf(delivery.webhookId, 'the endpoint was disabled');
        return DONE;
      }
    }
    if (next) return { kind: 'wait', until: next };
    await this.wakeNext(delivery);
    return DONE;
  }

  /** The next event of the request to this endpoint waited for this one: its job need not sleep on. */
  private async wakeNext(delivery: DeliveryToAttempt): Promise<void> {
    const next = await this.deliveries.nextPending(delivery);
    if (!next) return;
    try {
      const job = await this.queue.getJob(deliverWebhookJobId(next.id, next.round));
      if (job && (await job.isDelayed())) await job.promote();
    } catch {
      // Another worker moved it meanwhile; it looks again on its own.
    }
  }
}
