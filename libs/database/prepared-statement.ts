import type { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * A statement PostgreSQL parses and plans once per connection, then only binds and executes: for the hot
 * statements (one per create), where planning a CTE costs the server more than running it. TypeORM sends every
 * query as unnamed text, so these go to the pg pool (or the transaction's client) under it.
 */
export class PreparedStatement<Row> {
  constructor(
    /** Unique per statement text: pg keeps one prepared statement per name and connection. */
    private readonly name: string,
    private readonly text: string,
  ) {}

  /** Runs on a pooled connection, or on the connection of `manager`'s transaction when one is given. */
  async run(dataSource: DataSource, values: unknown[], manager?: EntityManager): Promise<Row[]> {
    const executor = manager?.queryRunner
      ? ((await manager.queryRunner.connect()) as PoolClient)
      : ((dataSource.driver as unknown as { master: Pool }).master ?? missingPool());
    const result = await executor.query({ name: this.name, text: this.text, values });
    return result.rows as Row[];
  }
}

function missingPool(): never {
  throw new Error('the service database is not connected');
}
