import { AppConfig } from '#app/config';
import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { DEFAULT_JOB_OPTIONS } from './job-options.js';
import { QUEUE_NAMES } from './queue-names.js';
import { QueueConnection, QueueConnectionModule } from './queue-connection.js';
import { DELETION_FLOW_PRODUCER, DeletionFlowProducer } from './deletion-flow.producer.js';
import { DeletionJobsProducer } from './deletion-jobs.producer.js';
import { QueueErrorLogger } from './queue-error.logger.js';
import { ReplayJobsProducer } from './replay-jobs.producer.js';

/** The BullMQ queues with the configured Redis and prefix, and the typed producer. */
@Module({})
export class QueueModule {
  /** `flows`: also the flow and replay producers (the worker and the CLI fan out and replay; the API only adds delayed jobs). */
  static forRoot(role: 'worker' | 'producer', { flows = true }: { flows?: boolean } = {}): DynamicModule {
    // On a cluster the flow producer shares the queues' client, which QueueConnection closes: a forced disconnect
    // of that client can wait for an 'end' that never comes, and the process then hangs on shutdown.
    const flowProducer = flows
      ? [
          BullModule.registerFlowProducerAsync({
            name: DELETION_FLOW_PRODUCER,
            inject: [AppConfig],
            useFactory: (config: AppConfig) => (config.REDIS_CLUSTER_NODES ? { forceDisconnectOnShutdown: false } : {}),
          }),
        ]
      : [];
    const producers = flows ? [DeletionFlowProducer, ReplayJobsProducer] : [];
    return {
      module: QueueModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          imports: [QueueConnectionModule.forRole(role)],
          inject: [AppConfig, QueueConnection],
          useFactory: (config: AppConfig, { connection }: QueueConnection) => ({
            // Queues and flow producers only (the worker's Workers connect on their own): no blocking reads here.
            connection,
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
