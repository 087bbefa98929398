import { AppConfig } from '#app/config';
import { DynamicModule, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { bullConnection, closeBullConnection, type RedisRole } from './redis-connection.js';

/**
 * The queues' and flow producers' BullMQ connection (`bullConnection`), owned here so that on a Redis Cluster
 * the client they share is closed with the app. Queues and flow producers never block: a command timeout.
 */
export class QueueConnection implements OnApplicationShutdown {
  readonly connection: ConnectionOptions;

  constructor(config: AppConfig, role: RedisRole) {
    this.connection = bullConnection(config, role, {
      commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
      keepAliveMs: config.TCP_KEEPALIVE_DELAY_MS,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await closeBullConnection(this.connection);
  }
}

/** Provides `QueueConnection` for the role, to `BullModule.forRootAsync`. */
@Module({})
export class QueueConnectionModule {
  static forRole(role: RedisRole): DynamicModule {
    return {
      module: QueueConnectionModule,
      providers: [
        {
          provide: QueueConnection,
          inject: [AppConfig],
          useFactory: (config: AppConfig) => new QueueConnection(config, role),
        },
      ],
      exports: [QueueConnection],
    };
  }
}
