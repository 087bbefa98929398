import { Module } from '@nestjs/common';
import { FanOutService } from './fan-out.service.js';

@Module({ providers: [FanOutService], exports: [FanOutService] })
export class LifecycleModule {}
