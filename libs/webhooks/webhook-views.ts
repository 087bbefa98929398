import type { WebhookDelivery, WebhookEndpoint } from '#app/database';
import { webhookMessageId } from './webhook-event-types.js';

/** An endpoint as its account sees it: never its secret. */
export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  /** Why it was disabled (continuous failures), when it was. */
  disabled_reason: string | null;
  disabled_at: string | null;
  created_at: string;
}

export interface DeliveryView {
  id: string;
  /** The `webhook-id` header of every attempt. */
  event_id: string;
  event_type: string;
  request_id: number;
  status: 'pending' | 'delivered' | 'failed';
  attempt: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number | null;
  created_at: string;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  delivered_at: string | null;
}

const iso = (at: Date | null): string | null => at?.toISOString() ?? null;

export function toWebhookView(endpoint: WebhookEndpoint): WebhookView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.events,
    enabled: endpoint.enabled,
    disabled_reason: endpoint.disabledReason,
    disabled_at: iso(endpoint.disabledAt),
    created_at: endpoint.createdAt.toISOString(),
  };
}

export function toDeliveryView(delivery: WebhookDelivery): DeliveryView {
  return {
    id: delivery.id,
    event_id: webhookMessageId(delivery.eventId),
    event_type: delivery.eventType,
    request_id: Number(delivery.requestId),
    status: delivery.status,
    attempt: delivery.attempts,
    status_code: delivery.lastStatusCode,
    error: delivery.lastError,
    duration_ms: delivery.lastDurationMs,
    created_at: delivery.createdAt.toISOString(),
    last_attempt_at: iso(delivery.lastAttemptAt),
    next_attempt_at: iso(delivery.nextAttemptAt),
    delivered_at: iso(delivery.deliveredAt),
  };
}
