import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** Per-account monthly usage (DESIGN §2, monthly quota). */
@Injectable()
export class QuotaRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async used(siteId: string, month: Date): Promise<number> {
    const rows: { used: number }[] = await this.dataSource.query(
      `SELECT used FROM monthly_usage WHERE site_id = $1 AND month = $2::date`,
      [siteId, isoDate(month)],
    );
    return rows[0]?.used ?? 0;
  }

  /**
   * Takes one unit of the month's quota in the caller's transaction, atomically: a conditional upsert on
   * (account, month), so concurrent callers can never take more than `limit`. Returns the new count, or
   * null when the quota is used up.
   */
  async consume(manager: EntityManager, siteId: string, month: Date, limit: number): Promise<number | null> {
    const rows: { used: number }[] = await manager.query(
      `WITH taken AS (
         INSERT INTO monthly_usage (site_id, month, used) VALUES ($1, $2::date, 1)
         ON CONFLICT (site_id, month) DO UPDATE SET used = monthly_usage.used + 1 WHERE monthly_usage.used < $3
         RETURNING used)
       SELECT used FROM taken`,
      [siteId, isoDate(month), limit],
    );
    return rows[0]?.used ?? null;
  }
}

function isoDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}
