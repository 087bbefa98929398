import { AppConfig } from '#app/config';
import { WebhookRetentionRepository } from '#app/database';
import { Clock } from '#app/domain';
import { Injectable, Logger } from '@nestjs/common';

/** Rows per statement, and statements per table per run: a run's work is bounded, the next run goes on. */
export const RETENTION_BATCH = 1000;
export const RETENTION_MAX_BATCHES = 20;
const DAY_MS = 86_400_000;

/**
 * The reconciler's retention step (docs/ARCHITECTURE.md, "Status-change webhooks"): deliveries that ended more
 * than WEBHOOK_RETENTION_DAYS ago are deleted, then the events none refers to any more (their bodies carry the
 * subject ids the brand sent, kept no longer than needed). Pending deliveries and their events stay.
 */
@Injectable()
export class WebhookRetention {
  private readonly logger = new Logger(WebhookRetention.name);

  constructor(
    private readonly retention: WebhookRetentionRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async prune(): Promise<{ deliveries: number; events: number }> {
    const before = new Date(this.clock.now().getTime() - this.config.WEBHOOK_RETENTION_DAYS * DAY_MS);
    const deliveries = await this.batches((limit) => this.retention.deleteFinishedDeliveries(before, limit));
    const events = await this.batches((limit) => this.retention.deleteEventsWithoutDeliveries(before, limit));
    if (deliveries + events > 0) {
      this.logger.log(
        `webhook retention deleted ${deliveries} deliveries and ${events} events ended before ${before.toISOString()}`,
      );
    }
    return { deliveries, events };
  }

  private async batches(batch: (limit: number) => Promise<number>): Promise<number> {
    let total = 0;
    for (let i = 0; i < RETENTION_MAX_BATCHES; i++) {
      const deleted = await batch(RETENTION_BATCH);
      total += deleted;
      if (deleted < RETENTION_BATCH) break;
    }
    return total;
  }
}
