// The erase statements of a store, run directly with pg: one transaction per chunk, as the worker runs them
// (the same account-scoped lookup and statements).
import { eraseParameters, lockSubjectsSql } from '#app/stores';

export async function eraseWithPg(client, definition, siteId, ids) {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query(lockSubjectsSql(definition), [ids, siteId]);
    const erasable = rows.filter((row) => !row.open).map((row) => row.id);
    if (erasable.length > 0)
      for (const statement of definition.eraseSql) await client.query(statement, eraseParameters(erasable, siteId));
    await client.query('COMMIT');
    return erasable.length;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
