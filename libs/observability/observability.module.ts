import type { AppConfig } from '#app/config';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { loggingModule } from './logging.js';
import { MetricsController } from './metrics.controller.js';
import { collectProcessMetrics } from './metrics.js';
import { QueueMetricsCollector } from './queue-metrics.collector.js';
import { PostgresPing } from './postgres-ping.js';
import { RedisPing } from './redis-ping.js';
import { ShutdownState } from './shutdown-state.js';

/** Logs, /health/live, /health/ready and /metrics, the same in the API and the worker. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(config: AppConfig, app: 'api' | 'worker'): DynamicModule {
    collectProcessMetrics();
    return {
      module: ObservabilityModule,
      imports: [loggingModule(config, app), TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController, MetricsController],
      providers: [PostgresPing, RedisPing, ShutdownState, QueueMetricsCollector],
      exports: [ShutdownState],
    };
  }
}
