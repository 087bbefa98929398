import type { StoreName } from '#app/domain';
import { MASK, STORE_DEFINITIONS } from '#app/stores';
import type pg from 'pg';

/** One row of one store table, as JSON text, with the subject it belongs to. */
export interface StoreRow {
  table: string;
  subject: string;
  json: string;
  personal: Record<string, unknown>;
}

/**
 * Every row of every table of `stores` (default all, in one database; the suite's stores are small). A store in
 * a database of its own is scanned with a pool on that database and `[store]`.
 */
export async function scanStores(db: pg.Pool, stores?: StoreName[]): Promise<StoreRow[]> {
  const definitions = stores ? stores.map((store) => STORE_DEFINITIONS[store]) : Object.values(STORE_DEFINITIONS);
  const rows: StoreRow[] = [];
  for (const { table, idColumn, columns } of definitions.flatMap((definition) => definition.personalColumns)) {
    const result = await db.query(
      `SELECT ${idColumn} AS subject_id__, row_to_json(t)::text AS json, ${columns.map((c) => `t.${c}`).join(', ')}
       FROM ${table} t ORDER BY 2`,
    );
    for (const row of result.rows) {
      const personal = Object.fromEntries(columns.map((column) => [column, row[column]]));
      rows.push({ table, subject: row.subject_id__, json: row.json, personal });
    }
  }
  return rows;
}

/** The distinctive personal strings (8+ characters: names, emails, phones, text) of the given subjects. */
export function personalStrings(rows: StoreRow[], subjects: Set<string>): string[] {
  const strings = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string' && value.length >= 8) strings.add(value);
    else if (value && typeof value === 'object' && !Buffer.isBuffer(value)) Object.values(value).forEach(collect);
  };
  for (const row of rows) if (subjects.has(row.subject)) Object.values(row.personal).forEach(collect);
  return [...strings];
}

/** Rows as a map from table+json, for an exact before/after comparison of the subjects left alone. */
export function rowsOf(rows: StoreRow[], keep: (row: StoreRow) => boolean): string[] {
  return rows
    .filter(keep)
    .map((row) => `${row.table} ${row.json}`)
    .sort();
}

/** Asserts every personal column of the subjects' rows is erased: text masked, JSON masked per key, file bytes gone. */
export function expectMasked(rows: StoreRow[], subjects: Set<string>): void {
  const targets = rows.filter((row) => subjects.has(row.subject));
  expect(targets.length).toBeGreaterThan(0);
  for (const row of targets) {
    for (const [column, value] of Object.entries(row.personal)) {
      if (column === 'content') expect(value).toBeNull();
      else if (value && typeof value === 'object') expect(Object.values(value).every((v) => v === MASK)).toBe(true);
      else expect(value).toBe(MASK);
    }
  }
}
