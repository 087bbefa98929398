import type { AppConfig } from '#app/config';
import pg from 'pg';
import { expectMasked, scanStores } from './store-scan.js';
import { waitFor } from './wait.js';

/** Helpers the fault drills share: row locks that hold a purge mid-transaction, settled checks. */

/** Locks the rows (FOR UPDATE) so a purge blocks inside its transaction; returns what releases them. */
export async function holdRows(
  config: AppConfig,
  table: string,
  idColumn: string,
  ids: string[],
): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: config.DATABASE_URL });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`SELECT 1 FROM ${table} WHERE ${idColumn} = ANY($1) FOR UPDATE`, [ids]);
  return async () => {
    await client.query('COMMIT').catch(() => undefined);
    await client.end().catch(() => undefined);
  };
}

/** Waits until the request's store row says its purge is under way. */
export function purgeUnderWay(db: pg.Pool, requestId: number): Promise<true> {
  return waitFor(`request ${requestId}'s purge under way`, async () => {
    const { rows } = await db.query(`SELECT status FROM deletion_request_stores WHERE request_id = $1`, [requestId]);
    return rows[0]?.status === 'processing' ? true : undefined;
  });
}

/** Waits for every request to end DONE, then checks its subjects are erased and its store counted them once. */
export async function expectSettled(db: pg.Pool, requestIds: number[], subjects: string[]): Promise<void> {
  await waitFor(
    `requests ${requestIds.join(', ')} to be DONE`,
    async () => {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM deletion_requests WHERE id = ANY($1) AND status = 'DONE'`,
        [requestIds],
      );
      return rows[0].n === requestIds.length ? true : undefined;
    },
    90_000,
    250,
  );
  const { rows: stores } = await db.query(
    `SELECT request_id, status, erased, matched FROM deletion_request_stores WHERE request_id = ANY($1)`,
    [requestIds],
  );
  expect(stores).toHaveLength(requestIds.length);
  for (const store of stores) expect(store).toMatchObject({ status: 'done', erased: store.matched });
  expectMasked(await scanStores(db), new Set(subjects));
}
