import { AppConfig } from '#app/config';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { DEFAULT_JOB_OPTIONS } from './job-options.js';
import { QUEUE_NAMES } from './queue-names.js';
import { redisOptions } from './redis-connection.js';
import { DELETION_FLOW_PRODUCER, DeletionFlowProducer } from './deletion-flow.producer.js';
import { DeletionJobsProducer } from './deletion-jobs.producer.js';
import { QueueErrorLogger } from './queue-error.logger.js';
import { ReplayJobsProducer } from './replay-jobs.producer.js';

/** The BullMQ queues with the configured Redis and prefix, and the typed producer. */
@Module({})
export class QueueModule {
  /** `flows`: also the flow and replay producers (the worker and the CLI fan out and replay; the API only adds delayed jobs). */
  static forRoot(role: 'worker' | 'producer', { flows = true }: { flows?: boolean } = {}): DynamicModule {
    const flowProducer = flows ? [BullModule.registerFlowProducer({ name: DELETION_FLOW_PRODUCER })] : [];
    const producers = flows ? [DeletionFlowProducer, ReplayJobsProducer] : [];
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            // Queues and flow producers only (the worker's Workers connect on their own): no blocking reads here.
            connection: redisOptions(config.REDIS_URL, role, {
              commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
              keepAliveMs: config.TCP_KEEPALIVE_DELAY_MS,
            }),
            prefix: config.QUEUE_PREFIX,
            defaultJobOptions: DEFAULT_JOB_OPTIONS,
          }),
        }),
        BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
        ...flowProducer,
      ],
      providers: [DeletionJobsProducer, QueueErrorLogger, ...producers],
      exports: [BullModule, DeletionJobsProducer, ...producers],
    };
  }
}
