import type { DataSourceOptions } from 'typeorm';
import { poolOptions, type ConnectionWaits } from './connection-waits.js';
import { AccountEntity } from './entities/account.entity.js';
import { DeletionRequestEntity } from './entities/deletion-request.entity.js';
import { DeletionRequestStoreEntity } from './entities/deletion-request-store.entity.js';
import { InitialSchema1764300000000 } from './migrations/1764300000000-initial-schema.js';
import { PurgeProgress1764400000000 } from './migrations/1764400000000-purge-progress.js';
import { QuotaIdempotencyApiKeys1764500000000 } from './migrations/1764500000000-quota-idempotency-api-keys.js';
import { QuotaSlots1764600000000 } from './migrations/1764600000000-quota-slots.js';
import { HotEnqueueMark1764700000000 } from './migrations/1764700000000-hot-enqueue-mark.js';
import { AuditTrail1765000000000 } from './migrations/1765000000000-audit-trail.js';
import { VerificationAndReceipts1765000000001 } from './migrations/1765000000001-verification-and-receipts.js';
import { Webhooks1765100000000 } from './migrations/1765100000000-webhooks.js';
import { StoreReplays1765200000000 } from './migrations/1765200000000-store-replays.js';
import { IssuedReceipts1765300000000 } from './migrations/1765300000000-issued-receipts.js';
import { WebhookRetention1765300000001 } from './migrations/1765300000001-webhook-retention.js';

/** Entities of the service database. */
export const SERVICE_ENTITIES = [AccountEntity, DeletionRequestEntity, DeletionRequestStoreEntity];

/** Migrations of the service database, in order. Imported, not globbed, so tests and `dist/` run the same list. */
export const SERVICE_MIGRATIONS = [
  InitialSchema1764300000000,
  PurgeProgress1764400000000,
  QuotaIdempotencyApiKeys1764500000000,
  QuotaSlots1764600000000,
  HotEnqueueMark1764700000000,
  AuditTrail1765000000000,
  VerificationAndReceipts1765000000001,
  Webhooks1765100000000,
  StoreReplays1765200000000,
  IssuedReceipts1765300000000,
  WebhookRetention1765300000001,
];

/**
 * TypeORM options for the service database. Never `synchronize`: the schema comes from migrations. `waits`:
 * the apps' bounded waits (see `serviceWaits`); none for migrations.
 */
export function serviceDataSourceOptions(url: string, poolSize = 10, waits?: ConnectionWaits): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: SERVICE_ENTITIES,
    migrations: SERVICE_MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    extra: { max: poolSize, ...poolOptions(waits), application_name: 'personal-data-deletion' },
  };
}
