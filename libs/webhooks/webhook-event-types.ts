import type { LifecycleEventType } from '#app/lifecycle';

/** The event types an endpoint subscribes to. Persisted (endpoint rows, receivers' code): never rename. */
export const WEBHOOK_EVENT_TYPES = [
  'deletion_request.created',
  'deletion_request.canceled',
  'deletion_request.in_progress',
  'deletion_request.done',
  'deletion_request.failed',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * The webhook event a lifecycle event reports, if any: a start and a re-drive both put the request in progress;
 * per-store progress (store_done, ...) is the audit trail's, not a status change a brand is told of.
 */
export const EVENT_TYPE_OF: Readonly<Partial<Record<LifecycleEventType, WebhookEventType>>> = {
  created: 'deletion_request.created',
  canceled: 'deletion_request.canceled',
  started: 'deletion_request.in_progress',
  redrive: 'deletion_request.in_progress',
  done: 'deletion_request.done',
  failed: 'deletion_request.failed',
};

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === 'string' && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** The public id of an event: the `webhook-id` header, the same on every retry. */
export function webhookMessageId(eventId: string): string {
  return `evt_${eventId}`;
}
