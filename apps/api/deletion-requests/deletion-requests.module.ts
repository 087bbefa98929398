import { Module } from '@nestjs/common';
import { QuotaModule } from '../quota/quota.module.js';
import { DeletionRequestsController } from './deletion-requests.controller.js';
import { DeletionRequestsService } from './deletion-requests.service.js';

@Module({
  imports: [QuotaModule],
  controllers: [DeletionRequestsController],
  providers: [DeletionRequestsService],
})
export class DeletionRequestsModule {}
