import type { StoreName } from '#app/domain';

/** What the platform writes in place of erased personal text (DESIGN §1). */
export const MASK = '** LP deleted data **';

/**
 * One store as data: its schema, the table whose rows are the subjects, and the statements that erase a
 * set of subjects. The purge mechanism (`StorePurger`) is the same for every store.
 */
export interface StoreDefinition {
  store: StoreName;
  schema: string;
  /** DDL of the store's schema (tables, indexes), run once by `migrate`. */
  schemaSql: string[];
  subject: {
    table: string;
    idColumn: string;
    /** SQL expression true while the subject is still open (an open chat or conversation is deferred). */
    openExpression?: string;
  };
  /** Set-based erase statements; `$1` is the text[] of erasable subject ids, `$2` the mask. Each idempotent. */
  eraseSql: string[];
  /** Every (table, id column, personal columns) of the store, for checkers and tests. */
  personalColumns: { table: string; idColumn: string; columns: string[] }[];
}

/** Replaces every value of a JSON object (SDEs, user-defined fields) with the mask, keeping its keys. */
export function maskJson(column: string): string {
  return `CASE WHEN jsonb_typeof(${column}) = 'object'
    THEN (SELECT coalesce(jsonb_object_agg(key, to_jsonb($2::text)), '{}'::jsonb) FROM jsonb_each(${column}))
    ELSE to_jsonb($2::text) END`;
}
