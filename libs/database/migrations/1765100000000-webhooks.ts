import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Status-change webhooks (docs/ARCHITECTURE.md, "Status-change webhooks"): endpoints per account, the outbox of
 * events written with the transition they report, and one delivery per (event, endpoint).
 */
export class Webhooks1765100000000 implements MigrationInterface {
  name = 'Webhooks1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_endpoints (
        id bigserial PRIMARY KEY,
        site_id varchar(20) NOT NULL REFERENCES accounts (site_id),
        url varchar(2048) NOT NULL,
        events text[] NOT NULL,
        secret_encrypted text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        disabled_at timestamptz,
        failing_since timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The create path's one look-up per batch: the enabled endpoints of the batch's accounts.
    await queryRunner.query(`CREATE INDEX webhook_endpoints_site ON webhook_endpoints (site_id) WHERE enabled`);
    await queryRunner.query(`
      CREATE TABLE webhook_events (
        id bigserial PRIMARY KEY,
        site_id varchar(20) NOT NULL,
        request_id bigint NOT NULL,
        type varchar(40) NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id bigserial PRIMARY KEY,
        event_id bigint NOT NULL REFERENCES webhook_events (id),
        webhook_id bigint NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        site_id varchar(20) NOT NULL,
        request_id bigint NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        round integer NOT NULL DEFAULT 0,
        queued boolean NOT NULL DEFAULT false,
        attempts integer NOT NULL DEFAULT 0,
        retry_from timestamptz NOT NULL DEFAULT now(),
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        last_status_code integer,
        last_error text,
        last_duration_ms integer,
        response_excerpt text,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX webhook_deliveries_list ON webhook_deliveries (webhook_id, id DESC)`);
    // The dispatcher's scan, the reconciler's and the in-order check all read pending deliveries only.
    await queryRunner.query(`CREATE INDEX webhook_deliveries_unqueued ON webhook_deliveries (id) WHERE NOT queued`);
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (webhook_id, request_id, event_id) WHERE status = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
    await queryRunner.query(`DROP TABLE webhook_events`);
    await queryRunner.query(`DROP TABLE webhook_endpoints`);
  }
}
