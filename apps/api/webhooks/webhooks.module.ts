import { WebhooksModule as WebhooksLibModule } from '#app/webhooks';
import { Module } from '@nestjs/common';
import { WebhooksController } from './webhooks.controller.js';

@Module({ imports: [WebhooksLibModule], controllers: [WebhooksController] })
export class WebhooksApiModule {}
