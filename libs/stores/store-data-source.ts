import type { AppConfig } from '#app/config';
import { poolOptions, type ConnectionWaits } from '#app/database';
import { StoreName } from '#app/domain';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import type { StoreDefinition, StoreMigration } from './store-definition.js';

/** The store's connection URL: its own setting, or the service database (one schema per store). */
export function storeUrl(config: AppConfig, store: StoreName): string {
  const urls: Record<StoreName, string | undefined> = {
    [StoreName.Chat]: config.STORE_CHAT_URL,
    [StoreName.Messaging]: config.STORE_MESSAGING_URL,
    [StoreName.Consumer]: config.STORE_CONSUMER_URL,
    [StoreName.Ticketing]: config.STORE_TICKETING_URL,
  };
  return urls[store] ?? config.DATABASE_URL;
}

/** The store's migrations as TypeORM classes: its schema first, then its later ones. */
function storeMigrations(definition: StoreDefinition): (new () => MigrationInterface)[] {
  const prefix = `${definition.schema[0].toUpperCase()}${definition.schema.slice(1)}`;
  const schema: StoreMigration = {
    version: 1764400000000,
    name: `${prefix}StoreSchema`,
    sql: definition.schemaSql,
    down: [`DROP SCHEMA ${definition.schema} CASCADE`],
  };
  return [schema, ...definition.migrations].map(
    (migration) =>
      class implements MigrationInterface {
        name = `${migration.name}${migration.version}`;
        async up(queryRunner: QueryRunner): Promise<void> {
          for (const statement of migration.sql) await queryRunner.query(statement);
        }
        async down(queryRunner: QueryRunner): Promise<void> {
          for (const statement of migration.down) await queryRunner.query(statement);
        }
      },
  );
}

/**
 * A TypeORM data source on the store's database; its migrations table lives in the store's own schema.
 * `waits`: the worker's bounded waits (see `storeWaits`); none for migrations and seeding.
 */
export function storeDataSource(
  definition: StoreDefinition,
  url: string,
  poolSize = 4,
  waits?: ConnectionWaits,
): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    schema: definition.schema,
    migrations: storeMigrations(definition),
    migrationsTableName: 'store_migrations',
    synchronize: false,
    extra: { max: poolSize, ...poolOptions(waits), application_name: `pdd-store-${definition.schema}` },
  });
}

/** Creates the store's schema when missing and applies its pending migrations; returns their names. */
export async function migrateStore(definition: StoreDefinition, url: string): Promise<string[]> {
  const dataSource = storeDataSource(definition, url, 1);
  await dataSource.initialize();
  try {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS ${definition.schema}`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
