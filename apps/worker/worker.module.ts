import { AppConfig, AppConfigModule } from '#app/config';
import { DatabaseModule } from '#app/database';
import { Clock, STORE_NAMES, SystemClock } from '#app/domain';
import { LifecycleModule, StartEnqueuer, TransitionListenersModule } from '#app/lifecycle';
import { ObservabilityModule, READINESS_CHECKS } from '#app/observability';
import { QueueModule } from '#app/queue';
import { StoresModule } from '#app/stores';
import { DynamicModule, Module } from '@nestjs/common';
import { DeletionOrchestratorService } from './deletion/deletion-orchestrator.service.js';
import { OrchestratorProcessor } from './deletion/orchestrator.processor.js';
import { ChunkTargets } from './purge/chunk-targets.js';
import { PurgeProcessor } from './purge/purge.processor.js';
import { PurgeService } from './purge/purge.service.js';
import { ReconcilerScheduler } from './reconciler/reconciler.scheduler.js';
import { ReconcilerService } from './reconciler/reconciler.service.js';
import { JOB_HANDLERS, type JobHandler } from './runtime/job-handler.js';
import { QueueWorkersService } from './runtime/queue-workers.service.js';

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
      ],
      providers: [
        { provide: Clock, useClass: SystemClock },
        DeletionOrchestratorService,
        ChunkTargets,
        PurgeService,
        ReconcilerService,
        StartEnqueuer,
        ReconcilerScheduler,
        OrchestratorProcessor,
        {
          provide: JOB_HANDLERS,
          inject: [OrchestratorProcessor, PurgeService],
          useFactory: (orchestrator: OrchestratorProcessor, purge: PurgeService): JobHandler[] => [
            orchestrator,
            ...STORE_NAMES.map((store) => new PurgeProcessor(store, purge)),
          ],
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
