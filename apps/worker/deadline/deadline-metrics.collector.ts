import { AppConfig } from '#app/config';
import { DeadlineWatchRepository } from '#app/database';
import { withTimeout } from '#app/domain';
import { metrics } from '#app/observability';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';

/**
 * Fills the deadline watch gauges at scrape time (docs/ARCHITECTURE.md, "Proof"): requests at risk of missing
 * final_at + DELETION_DEADLINE_DAYS, and the oldest unfinished one's age. A scrape while PostgreSQL is slow
 * keeps the last values.
 */
@Injectable()
export class DeadlineMetricsCollector implements OnModuleInit {
  private readonly logger = new Logger(DeadlineMetricsCollector.name);

  constructor(
    private readonly config: AppConfig,
    private readonly watch: DeadlineWatchRepository,
  ) {}

  onModuleInit(): void {
    let reading: Promise<void> | undefined;
    // One read serves both gauges of a scrape (prom-client calls each one's collect()).
    const refresh = (): Promise<void> =>
      (reading ??= withTimeout(
        this.watch.read(this.config.DELETION_DEADLINE_DAYS, this.config.DEADLINE_WARNING_DAYS),
        1500,
      )
        .then(({ atRisk, oldestAgeSeconds }) => {
          metrics.requestsAtRisk.set(atRisk);
          metrics.oldestUnfinishedAge.set(oldestAgeSeconds);
        })
        .catch((error: Error) => this.logger.warn(`deadline watch not read: ${error.message}`))
        .finally(() => setTimeout(() => (reading = undefined), 500).unref()));
    for (const gauge of [metrics.requestsAtRisk, metrics.oldestUnfinishedAge]) {
      (gauge as unknown as { collect: () => Promise<void> }).collect = refresh;
    }
  }
}
