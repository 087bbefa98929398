import type { DataSource } from 'typeorm';
import { MASK, type StoreDefinition } from './store-definition.js';

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
 * subjects, then each erase statement once for all erasable ids. Idempotent: masking twice is masking once.
 */
export class StorePurger {
  constructor(
    readonly definition: StoreDefinition,
    private readonly dataSource: DataSource,
  ) {}

  purge(ids: readonly string[]): Promise<PurgeOutcome> {
    const { table, idColumn, openExpression } = this.definition.subject;
    return this.dataSource.transaction(async (manager) => {
      const rows: { id: string; open: boolean }[] = await manager.query(
        `SELECT ${idColumn} AS id, (${openExpression ?? 'false'}) AS open FROM ${table}
         WHERE ${idColumn} = ANY($1) ORDER BY ${idColumn} FOR UPDATE`,
        [ids],
      );
      const erasable = rows.filter((row) => !row.open).map((row) => row.id);
      if (erasable.length > 0) {
        for (const statement of this.definition.eraseSql) await manager.query(statement, [erasable, MASK]);
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
