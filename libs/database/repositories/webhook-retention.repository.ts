import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * Deletes what webhook retention lets go (docs/ARCHITECTURE.md, "Status-change webhooks"), one bounded batch per
 * statement: SQL only. A pending delivery is never deleted, nor an event one of its deliveries still holds.
 */
@Injectable()
export class WebhookRetentionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Up to `limit` deliveries that ended (delivered or failed) before `before`; how many went. */
  async deleteFinishedDeliveries(before: Date, limit: number): Promise<number> {
    // The outer status check is re-evaluated on a row a redelivery changed meanwhile: it stays.
    const rows: unknown[] = await this.dataSource.query(
      `DELETE FROM webhook_deliveries WHERE id IN (
         SELECT id FROM webhook_deliveries
         WHERE status <> 'pending' AND coalesce(last_attempt_at, created_at) < $1
         LIMIT $2 FOR UPDATE SKIP LOCKED
       ) AND status <> 'pending'
       RETURNING 1`,
      [before, limit],
    );
    return rows.length;
  }

  /** Up to `limit` events written before `before` that no delivery refers to any more; how many went. */
  async deleteEventsWithoutDeliveries(before: Date, limit: number): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(
      `DELETE FROM webhook_events WHERE id IN (
         SELECT e.id FROM webhook_events e
         WHERE e.created_at < $1 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = e.id)
         ORDER BY e.created_at LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       RETURNING 1`,
      [before, limit],
    );
    return rows.length;
  }
}
