import { isoDay } from '#app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Per-account monthly usage (docs/ARCHITECTURE.md, "Quota"), kept in slots: see QuotaService. */
@Injectable()
export class QuotaRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async used(siteId: string, month: Date): Promise<number> {
    const rows: { used: number }[] = await this.dataSource.query(
      `SELECT coalesce(sum(used), 0)::int AS used FROM monthly_usage WHERE site_id = $1 AND month = $2::date`,
      [siteId, isoDay(month)],
    );
    return rows[0]?.used ?? 0;
  }

  /** Units taken from each slot of the month (slot -> used). */
  async slotUsage(siteId: string, month: Date): Promise<Map<number, number>> {
    const rows: { slot: number; used: number }[] = await this.dataSource.query(
      `SELECT slot, used FROM monthly_usage WHERE site_id = $1 AND month = $2::date`,
      [siteId, isoDay(month)],
    );
    return new Map(rows.map((row) => [row.slot, row.used]));
  }
}
