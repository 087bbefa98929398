import { RequestLifecycle, RequestRecorder, StartEnqueuer } from '#app/lifecycle';
import { Module } from '@nestjs/common';
import { QuotaModule } from '../quota/quota.module.js';
import { DeletionRequestsController } from './deletion-requests.controller.js';
import { CancellationService } from './cancellation.service.js';
import { JobRelay } from './job-relay.js';
import { DeletionRequestsReader } from './deletion-requests.reader.js';
import { DeletionRequestsService } from './deletion-requests.service.js';

@Module({
  imports: [QuotaModule],
  controllers: [DeletionRequestsController],
  providers: [
    DeletionRequestsService,
    CancellationService,
    DeletionRequestsReader,
    JobRelay,
    StartEnqueuer,
    RequestLifecycle,
    RequestRecorder,
  ],
})
export class DeletionRequestsModule {}
