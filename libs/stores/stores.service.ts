import { AppConfig } from '#app/config';
import { storeWaits } from '#app/database';
import { STORE_NAMES, StoreName } from '#app/domain';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { STORE_DEFINITIONS } from './definitions/index.js';
import { SEED_SQL } from './seeding/seed-sql.js';
import { migrateStore, storeDataSource, storeUrl } from './store-data-source.js';
import { StorePurger } from './store-purger.js';
import { StoreVerifier } from './store-verifier.js';

const SEED_BATCH = 10_000;

/** Connections to the four stores (opened on first use), their purgers and the fake-data seeder. */
@Injectable()
export class StoresService implements OnApplicationShutdown {
  private readonly connections = new Map<StoreName, Promise<DataSource>>();
  private readonly verifiers = new Map<StoreName, StoreVerifier>();

  constructor(private readonly config: AppConfig) {}

  async purger(store: StoreName): Promise<StorePurger> {
    return new StorePurger(STORE_DEFINITIONS[store], await this.dataSource(store));
  }

  /** The store's read-back (one per store: it caches the column types). */
  async verifier(store: StoreName): Promise<StoreVerifier> {
    const dataSource = await this.dataSource(store);
    let verifier = this.verifiers.get(store);
    if (!verifier || verifier.dataSource !== dataSource) {
      verifier = new StoreVerifier(STORE_DEFINITIONS[store], dataSource);
      this.verifiers.set(store, verifier);
    }
    return verifier;
  }

  /** Inserts `count` fake subjects with their rows; returns their ids, in creation order. */
  async seed(store: StoreName, siteId: string, count: number, openRatio = 0): Promise<string[]> {
    // A connection of its own, without the purge's statement timeouts: a large seed runs for minutes.
    const dataSource = await storeDataSource(STORE_DEFINITIONS[store], storeUrl(this.config, store), 1).initialize();
    try {
      const ids: string[] = [];
      for (let done = 0; done < count; done += SEED_BATCH) {
        const rows: { id: string }[] = await dataSource.query(SEED_SQL[store], [
          siteId,
          Math.min(SEED_BATCH, count - done),
          openRatio,
        ]);
        ids.push(...rows.map((row) => row.id));
      }
      return ids;
    } finally {
      await dataSource.destroy();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const open = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(open.map(async (connection) => (await connection.catch(() => undefined))?.destroy()));
  }

  private dataSource(store: StoreName): Promise<DataSource> {
    let connection = this.connections.get(store);
    if (!connection) {
      connection = storeDataSource(
        STORE_DEFINITIONS[store],
        storeUrl(this.config, store),
        4,
        storeWaits(this.config),
      ).initialize();
      // A failed connect is not cached: the next job tries again (the store may be restarting).
      connection.catch(() => this.connections.delete(store));
      this.connections.set(store, connection);
    }
    return connection;
  }
}

/** Migrates every store's schema at its configured URL. */
export async function migrateStores(config: AppConfig): Promise<Record<StoreName, string[]>> {
  const applied = {} as Record<StoreName, string[]>;
  for (const store of STORE_NAMES)
    applied[store] = await migrateStore(STORE_DEFINITIONS[store], storeUrl(config, store));
  return applied;
}
