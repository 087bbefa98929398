import type { DataSource } from 'typeorm';
import { eraseParameters, lockSubjectsSql, type StoreDefinition } from './store-definition.js';

/** What one purge of a chunk of ids did. Recomputed in full on every run, so a retry reports the same. */
export interface PurgeOutcome {
  matched: number;
  erased: number;
  notFound: number;
  /** Subjects still open (chats, conversations): left untouched, to be tried again later. */
  deferredIds: string[];
}

/**
 * Erases a chunk of subjects from one store in one transaction, set-based: one locking read of the
 * subjects of the account, then each erase statement once for all erasable ids, each scoped by the site id.
 * Idempotent: masking twice is masking once.
 */
export class StorePurger {
  constructor(
    readonly definition: StoreDefinition,
    private readonly dataSource: DataSource,
  ) {}

  /** `siteId` is the request's account: ids of any other account count as not found and stay untouched. */
  purge(siteId: string, ids: readonly string[]): Promise<PurgeOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const rows: { id: string; open: boolean }[] = await manager.query(lockSubjectsSql(this.definition), [
        ids,
        siteId,
      ]);
      const erasable = rows.filter((row) => !row.open).map((row) => row.id);
      if (erasable.length > 0) {
        const parameters = eraseParameters(erasable, siteId);
        for (const statement of this.definition.eraseSql) await manager.query(statement, parameters);
      }
      return {
        matched: rows.length,
        erased: erasable.length,
        notFound: ids.length - rows.length,
        deferredIds: rows.filter((row) => row.open).map((row) => row.id),
      };
    });
  }
}
