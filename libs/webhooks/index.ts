export * from './address-policy.js';
export * from './backoff.js';
export * from './webhook-endpoints.service.js';
export * from './webhook-event-types.js';
export * from './webhook-outbox.listener.js';
export * from './webhook-sender.js';
export * from './webhook-views.js';
export * from './webhooks.module.js';
