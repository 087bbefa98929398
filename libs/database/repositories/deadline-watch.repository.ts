import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** Above this many at-risk requests the gauge says "at least": the count stays a bounded index range scan. */
export const AT_RISK_CAP = 100_000;

export interface DeadlineWatch {
  atRisk: number;
  oldestAgeSeconds: number;
}

/** The deadline watch's scrape-time reads, both on the `deletion_requests_open` index (status, final_at). */
@Injectable()
export class DeadlineWatchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async read(deadlineDays: number, warningDays: number): Promise<DeadlineWatch> {
    const [row]: { at_risk: number; oldest: number | null }[] = await this.dataSource.query(
      `SELECT (SELECT count(*)::int FROM (SELECT 1 FROM deletion_requests
                 WHERE status IN ('NOT_STARTED', 'IN_PROGRESS')
                   AND final_at <= now() + make_interval(days => $2 - $1) LIMIT $3) r) AS at_risk,
              (SELECT extract(epoch FROM now() - request_time)::float8 FROM deletion_requests
                 WHERE status IN ('NOT_STARTED', 'IN_PROGRESS') ORDER BY final_at LIMIT 1) AS oldest`,
      [deadlineDays, warningDays, AT_RISK_CAP],
    );
    return { atRisk: row?.at_risk ?? 0, oldestAgeSeconds: Math.max(0, row?.oldest ?? 0) };
  }
}
