import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook retention (docs/ARCHITECTURE.md, "Status-change webhooks"): the indexes the worker's pruning reads, so
 * each batch finds its rows without a scan of either table.
 */
export class WebhookRetention1765300000001 implements MigrationInterface {
  name = 'WebhookRetention1765300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Finished deliveries by when they ended (their last attempt, else their creation).
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_finished ON webhook_deliveries ((coalesce(last_attempt_at, created_at)))
       WHERE status <> 'pending'`,
    );
    // An event's deliveries: whether any is left, and the foreign key's check when an event is deleted.
    await queryRunner.query(`CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id)`);
    await queryRunner.query(`CREATE INDEX webhook_events_created ON webhook_events (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX webhook_events_created`);
    await queryRunner.query(`DROP INDEX webhook_deliveries_event`);
    await queryRunner.query(`DROP INDEX webhook_deliveries_finished`);
  }
}
