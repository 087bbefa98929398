import { Module } from '@nestjs/common';
import { DeletionRequestsController } from './deletion-requests.controller.js';
import { DeletionRequestsService } from './deletion-requests.service.js';

@Module({
  controllers: [DeletionRequestsController],
  providers: [DeletionRequestsService],
})
export class DeletionRequestsModule {}
