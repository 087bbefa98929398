// The erase statements of a store, run directly with pg: one transaction per chunk, as the worker runs them.
import { MASK } from '#app/stores';

export async function eraseWithPg(client, definition, ids) {
  const { table, idColumn, openExpression } = definition.subject;
  await client.query('BEGIN');
  try {
    const { rows } = await client.query(
      `SELECT ${idColumn} AS id, (${openExpression ?? 'false'}) AS open FROM ${table} WHERE ${idColumn} = ANY($1) ORDER BY ${idColumn} FOR UPDATE`,
      [ids],
    );
    const erasable = rows.filter((row) => !row.open).map((row) => row.id);
    if (erasable.length > 0)
      for (const statement of definition.eraseSql) await client.query(statement, [erasable, MASK]);
    await client.query('COMMIT');
    return erasable.length;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
