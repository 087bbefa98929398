import { Module } from '@nestjs/common';
import { FanOutService } from './fan-out.service.js';
import { RequestLifecycle } from './request-lifecycle.service.js';
import { StoreReplayService } from './store-replay.service.js';

/** For the apps that fan requests out and replay stores (the worker, the CLI); the API provides `RequestLifecycle` alone. */
@Module({
  providers: [FanOutService, RequestLifecycle, StoreReplayService],
  exports: [FanOutService, RequestLifecycle, StoreReplayService],
})
export class LifecycleModule {}
