import type { StoreName } from '#app/domain';

/** What the platform writes in place of erased personal text (docs/ARCHITECTURE.md, "Stores"). */
export const MASK = '** LP deleted data **';

/** A store migration after the schema's first one: its version (a timestamp) and its statements. */
export interface StoreMigration {
  version: number;
  /** PascalCase, unique within the store: becomes the migration's name. */
  name: string;
  sql: string[];
  /** What undoes it. */
  down: string[];
}

/**
 * One store as data: its schema, the table whose rows are the subjects, and the statements that erase a
 * set of subjects. The purge mechanism (`StorePurger`) is the same for every store.
 *
 * Tenancy: the stores hold every account's rows side by side. The subject table carries `site_id`; every
 * lookup and every erase statement names it, so an id of another account is never locked, read or changed.
 */
export interface StoreDefinition {
  store: StoreName;
  schema: string;
  /** DDL of the store's schema (tables, indexes), run once by `migrate`. */
  schemaSql: string[];
  /** Later migrations, in version order. */
  migrations: StoreMigration[];
  subject: {
    table: string;
    idColumn: string;
    /** SQL expression true while the subject is still open (an open chat or conversation is deferred). */
    openExpression?: string;
  };
  /**
   * Set-based erase statements; `$1` is the text[] of erasable subject ids, `$2` the mask, `$3` the site id.
   * Each is scoped by the site id and idempotent.
   */
  eraseSql: string[];
  /** Every (table, id column, personal columns) of the store, for checkers and tests. */
  personalColumns: { table: string; idColumn: string; columns: string[] }[];
}

/** The parameters of `eraseSql`, in order. */
export function eraseParameters(erasableIds: readonly string[], siteId: string): unknown[] {
  return [erasableIds, MASK, siteId];
}

/**
 * The locking read of a chunk's subjects: only the account's own (`$1` ids, `$2` site id). An id of another
 * account, or of nobody, is simply absent from the answer.
 */
export function lockSubjectsSql({ subject }: StoreDefinition): string {
  const { table, idColumn, openExpression } = subject;
  return `SELECT ${idColumn} AS id, (${openExpression ?? 'false'}) AS open FROM ${table}
    WHERE site_id = $2 AND ${idColumn} = ANY($1) ORDER BY ${idColumn} FOR UPDATE`;
}

/**
 * The `FROM ... WHERE` of an erase on a child table (its rows carry the subject's id, not the site id): joined
 * to the subject table, so only rows of the account's own subjects among `$1` are touched.
 */
export function ofAccountSubjects(subjectTable: string, idColumn: string, child = 'c'): string {
  return `FROM ${subjectTable} s WHERE s.site_id = $3 AND s.${idColumn} = ANY($1) AND ${child}.${idColumn} = s.${idColumn}`;
}

/** The index a scoped lookup of the subject table uses: (site_id, id). */
export function siteScopeMigration(table: string, idColumn: string, name: string): StoreMigration {
  const [schema, bare] = table.split('.');
  const index = `${bare}_site_id_${idColumn}`;
  return {
    version: 1764900000000,
    name,
    sql: [`CREATE UNIQUE INDEX IF NOT EXISTS ${index} ON ${table} (site_id, ${idColumn})`],
    down: [`DROP INDEX IF EXISTS ${schema}.${index}`],
  };
}

/** Replaces every value of a JSON object (SDEs, user-defined fields) with the mask, keeping its keys. */
export function maskJson(column: string): string {
  return `CASE WHEN jsonb_typeof(${column}) = 'object'
    THEN (SELECT coalesce(jsonb_object_agg(key, to_jsonb($2::text)), '{}'::jsonb) FROM jsonb_each(${column}))
    ELSE to_jsonb($2::text) END`;
}
