import { AppConfig } from '#app/config';
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { serviceWaits } from './connection-waits.js';
import { serviceDataSourceOptions } from './data-source-options.js';
import { AccountsRepository } from './repositories/accounts.repository.js';
import { ApiKeysRepository } from './repositories/api-keys.repository.js';
import { DeadlineWatchRepository } from './repositories/deadline-watch.repository.js';
import { DeletionRequestsRepository } from './repositories/deletion-requests.repository.js';
import { IdempotencyKeysRepository } from './repositories/idempotency-keys.repository.js';
import { PurgeProgressRepository } from './repositories/purge-progress.repository.js';
import { QuotaRepository } from './repositories/quota.repository.js';
import { RequestTransitionsRepository } from './repositories/request-transitions.repository.js';
import { WebhookDeliveriesRepository } from './repositories/webhook-deliveries.repository.js';
import { WebhookEndpointsRepository } from './repositories/webhook-endpoints.repository.js';
import { WebhookRetentionRepository } from './repositories/webhook-retention.repository.js';
import { StoreReplaysRepository } from './repositories/store-replays.repository.js';

const REPOSITORIES = [
  AccountsRepository,
  DeletionRequestsRepository,
  PurgeProgressRepository,
  RequestTransitionsRepository,
  QuotaRepository,
  IdempotencyKeysRepository,
  ApiKeysRepository,
  DeadlineWatchRepository,
  WebhookEndpointsRepository,
  WebhookDeliveriesRepository,
  WebhookRetentionRepository,
  StoreReplaysRepository,
];

/** The service database (TypeORM over `DATABASE_URL`) and its repositories. */
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            ...serviceDataSourceOptions(config.DATABASE_URL, 10, serviceWaits(config)),
            retryAttempts: 10,
            retryDelay: 2000,
          }),
        }),
      ],
      providers: REPOSITORIES,
      exports: REPOSITORIES,
    };
  }
}
