import type pg from 'pg';

/** The tables of a store's schema, as a backup copies them (the migrations table aside). */
async function tablesOf(db: pg.Pool, schema: string): Promise<string[]> {
  const { rows } = await db.query(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> 'store_migrations' ORDER BY 1`,
    [schema],
  );
  return rows.map((row) => row.table_name as string);
}

/** Runs `work` on one client between `begin` and COMMIT, rolling back when it throws. */
async function inTransaction(
  db: pg.Pool,
  begin: string,
  work: (client: pg.PoolClient) => Promise<void>,
): Promise<void> {
  const client = await db.connect();
  try {
    await client.query(begin);
    await work(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Takes a backup of a store's schema: a copy of every table into `<schema>_backup`, in one transaction (one
 * snapshot). Returns the backup's time, taken before the snapshot, as a store team would note it.
 */
export async function backupStore(db: pg.Pool, schema: string): Promise<Date> {
  const at = new Date();
  await inTransaction(db, 'BEGIN ISOLATION LEVEL REPEATABLE READ', async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema}_backup CASCADE`);
    await client.query(`CREATE SCHEMA ${schema}_backup`);
    for (const table of await tablesOf(db, schema)) {
      await client.query(`CREATE TABLE ${schema}_backup.${table} AS SELECT * FROM ${schema}.${table}`);
    }
  });
  return at;
}

/** Restores a store's schema from its backup: every table emptied and filled again, in one transaction. */
export async function restoreStore(db: pg.Pool, schema: string): Promise<void> {
  await inTransaction(db, 'BEGIN', async (client) => {
    for (const table of await tablesOf(db, schema)) {
      await client.query(`TRUNCATE ${schema}.${table}`);
      await client.query(`INSERT INTO ${schema}.${table} SELECT * FROM ${schema}_backup.${table}`);
    }
  });
}
