import { DataSource } from 'typeorm';
import { serviceDataSourceOptions } from './data-source-options.js';

/** Applies the pending migrations of the service database; returns their names. */
export async function migrateServiceDatabase(url: string): Promise<string[]> {
  const dataSource = new DataSource(serviceDataSourceOptions(url, 1));
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
