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

/**
 * Logs, /health/live and /health/ready in the API and the worker; /metrics as a route of the worker only (the
 * API serves it on its operations listener, not on its public port).
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(config: AppConfig, app: 'api' | 'worker'): DynamicModule {
    collectProcessMetrics();
    return {
      module: ObservabilityModule,
      imports: [loggingModule(config, app), TerminusModule.forRoot({ logger: false })],
      controllers: app === 'worker' ? [HealthController, MetricsController] : [HealthController],
      providers: [PostgresPing, RedisPing, ShutdownState, QueueMetricsCollector],
      exports: [ShutdownState],
    };
  }
}
