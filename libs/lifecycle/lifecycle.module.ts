import { Module } from '@nestjs/common';
import { FanOutService } from './fan-out.service.js';
import { RequestLifecycle } from './request-lifecycle.service.js';

/** For the apps that fan requests out (the worker, the CLI); the API provides `RequestLifecycle` alone. */
@Module({ providers: [FanOutService, RequestLifecycle], exports: [FanOutService, RequestLifecycle] })
export class LifecycleModule {}
