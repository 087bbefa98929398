import { Module } from '@nestjs/common';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhookOutboxListener } from './webhook-outbox.listener.js';
import { WebhookSender } from './webhook-sender.js';

/** Webhook endpoints and the outbox listener; every app that changes request status imports it. */
@Module({
  providers: [WebhookOutboxListener, WebhookEndpointsService, WebhookSender],
  exports: [WebhookEndpointsService, WebhookSender],
})
export class WebhooksModule {}
