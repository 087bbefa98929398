import { AppConfig, AppConfigModule } from '#app/config';
import { DatabaseModule } from '#app/database';
import { QueueModule } from '#app/queue';
import { DynamicModule, Module } from '@nestjs/common';
import { OrchestratorProcessor } from './orchestrator/orchestrator.processor.js';
import { JOB_HANDLERS } from './runtime/job-handler.js';
import { QueueWorkersService } from './runtime/queue-workers.service.js';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(), QueueModule.forRoot('worker')],
      providers: [
        OrchestratorProcessor,
        { provide: JOB_HANDLERS, inject: [OrchestratorProcessor], useFactory: (...handlers) => handlers },
        QueueWorkersService,
      ],
    };
  }
}
