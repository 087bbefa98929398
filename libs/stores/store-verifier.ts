import type { DataSource } from 'typeorm';
import { MASK, type StoreDefinition } from './store-definition.js';

/** What a read-back found in one table: rows of the subjects read, and those still holding personal data. */
export interface TableVerification {
  table: string;
  rowsChecked: number;
  violations: number;
}

export interface StoreVerification {
  rowsChecked: number;
  violations: number;
  tables: TableVerification[];
}

/**
 * Still personal, by column type: text not the mask (NULL is erased), JSON whose values are not all the mask
 * (as `maskJson` writes them), anything else (file bytes) present at all.
 */
function stillPersonal(column: string, type: string): string {
  if (type === 'text' || type === 'character varying' || type === 'character') {
    return `(${column} IS NOT NULL AND ${column} <> $3)`;
  }
  if (type === 'jsonb' || type === 'json') {
    const value = `${column}::jsonb`;
    return `(${column} IS NOT NULL AND CASE WHEN jsonb_typeof(${value}) = 'object'
      THEN EXISTS (SELECT 1 FROM jsonb_each(${value}) j WHERE j.value <> to_jsonb($3::text))
      ELSE ${value} <> to_jsonb($3::text) END)`;
  }
  return `(${column} IS NOT NULL)`;
}

/**
 * Reads back, in a read-only transaction of its own, every personal column of every table of a store for some
 * subjects of one account (scoped by site id like the erase). Counts only: never a value, so nothing personal
 * reaches a log, a metric or a progress row.
 */
export class StoreVerifier {
  private types?: Promise<Map<string, string>>;

  constructor(
    readonly definition: StoreDefinition,
    readonly dataSource: DataSource,
  ) {}

  async verify(siteId: string, ids: readonly string[]): Promise<StoreVerification> {
    const types = await this.columnTypes();
    const { subject } = this.definition;
    const tables = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      const results: TableVerification[] = [];
      for (const { table, idColumn, columns } of this.definition.personalColumns) {
        const checks = columns.map((column) => stillPersonal(`c.${column}`, types.get(`${table}.${column}`) ?? ''));
        const scope =
          table === subject.table
            ? `FROM ${table} c WHERE c.site_id = $2 AND c.${idColumn} = ANY($1)`
            : `FROM ${table} c JOIN ${subject.table} s ON s.${subject.idColumn} = c.${idColumn}
               WHERE s.site_id = $2 AND s.${subject.idColumn} = ANY($1)`;
        const [row]: { rows: number; violations: number }[] = await manager.query(
          `SELECT count(*)::int AS rows, count(*) FILTER (WHERE ${checks.join(' OR ')})::int AS violations ${scope}`,
          [ids, siteId, MASK],
        );
        results.push({ table, rowsChecked: row?.rows ?? 0, violations: row?.violations ?? 0 });
      }
      return results;
    });
    return {
      rowsChecked: tables.reduce((sum, t) => sum + t.rowsChecked, 0),
      violations: tables.reduce((sum, t) => sum + t.violations, 0),
      tables,
    };
  }

  /** Each personal column's type, read once from the catalog: the definitions list names, not types. */
  private columnTypes(): Promise<Map<string, string>> {
    this.types ??= this.dataSource
      .query(
        `SELECT table_schema || '.' || table_name || '.' || column_name AS name, data_type AS type
         FROM information_schema.columns WHERE table_schema = $1`,
        [this.definition.schema],
      )
      .then((rows: { name: string; type: string }[]) => new Map(rows.map((row) => [row.name, row.type])));
    this.types.catch(() => (this.types = undefined));
    return this.types;
  }
}
