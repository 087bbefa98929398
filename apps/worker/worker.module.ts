import { AppConfig, AppConfigModule } from '#app/config';
import { DatabaseModule } from '#app/database';
import { Clock, SystemClock } from '#app/domain';
import { LifecycleModule, StartEnqueuer, TransitionListenersModule } from '#app/lifecycle';
import { ObservabilityModule, READINESS_CHECKS } from '#app/observability';
import { QueueModule } from '#app/queue';
import { StoresModule } from '#app/stores';
import { AuditModule } from '#app/audit';
import { WebhooksModule } from '#app/webhooks';
import { DynamicModule, Module } from '@nestjs/common';
import { DeadlineMetricsCollector } from './deadline/deadline-metrics.collector.js';
import { DeletionOrchestratorService } from './deletion/deletion-orchestrator.service.js';
import { OrchestratorProcessor } from './deletion/orchestrator.processor.js';
import { ChunkTargets } from './purge/chunk-targets.js';
import { PurgeProcessor } from './purge/purge.processor.js';
import { PurgeService } from './purge/purge.service.js';
import { ReconcilerScheduler } from './reconciler/reconciler.scheduler.js';
import { ReconcilerService } from './reconciler/reconciler.service.js';
import { JobRegistry, workerJobRegistry } from './runtime/job-registry.js';
import { QueueWorkersService } from './runtime/queue-workers.service.js';
import { WebhookDeliveryProcessor } from './webhooks/webhook-delivery.processor.js';
import { WebhookDeliveryService } from './webhooks/webhook-delivery.service.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';
import { WebhookReconciler } from './webhooks/webhook-reconciler.js';
import { WebhookRetention } from './webhooks/webhook-retention.js';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      // Global so the observability module's readiness check sees the queue consumers.
      global: true,
      imports: [
        AppConfigModule.forRoot(config),
        ObservabilityModule.forRoot(config, 'worker'),
        DatabaseModule.forRoot(),
        QueueModule.forRoot('worker'),
        StoresModule,
        TransitionListenersModule,
        LifecycleModule,
        AuditModule,
        WebhooksModule,
      ],
      providers: [
        { provide: Clock, useClass: SystemClock },
        DeletionOrchestratorService,
        ChunkTargets,
        PurgeService,
        DeadlineMetricsCollector,
        ReconcilerService,
        StartEnqueuer,
        ReconcilerScheduler,
        OrchestratorProcessor,
        PurgeProcessor,
        WebhookDeliveryService,
        WebhookDeliveryProcessor,
        WebhookDispatcher,
        WebhookReconciler,
        WebhookRetention,
        {
          provide: JobRegistry,
          inject: [OrchestratorProcessor, PurgeProcessor, WebhookDeliveryProcessor],
          useFactory: workerJobRegistry,
        },
        QueueWorkersService,
        {
          provide: READINESS_CHECKS,
          inject: [QueueWorkersService],
          useFactory: (workers: QueueWorkersService) => [workers],
        },
      ],
      exports: [READINESS_CHECKS],
    };
  }
}
