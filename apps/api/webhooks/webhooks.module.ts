import { WebhooksModule as WebhooksLibModule } from '#app/webhooks';
import { Module } from '@nestjs/common';
import { RedeliverLimiter } from './redeliver-limiter.js';
import { WebhooksController } from './webhooks.controller.js';

@Module({ imports: [WebhooksLibModule], controllers: [WebhooksController], providers: [RedeliverLimiter] })
export class WebhooksApiModule {}
