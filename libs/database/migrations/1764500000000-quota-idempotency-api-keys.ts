import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Monthly usage counters, idempotency keys and OAuth 1.0a API keys (issue: quota and API keys). */
export class QuotaIdempotencyApiKeys1764500000000 implements MigrationInterface {
  name = 'QuotaIdempotencyApiKeys1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per account and calendar month (UTC): the authoritative count, taken atomically.
    await queryRunner.query(`
      CREATE TABLE monthly_usage (
        site_id varchar(20) NOT NULL REFERENCES accounts (site_id),
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        used integer NOT NULL CHECK (used >= 0),
        PRIMARY KEY (site_id, month)
      )`);
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        site_id varchar(20) NOT NULL REFERENCES accounts (site_id),
        key varchar(255) NOT NULL,
        body_hash char(64) NOT NULL,
        request_id bigint REFERENCES deletion_requests (id),
        created_at timestamptz NOT NULL,
        PRIMARY KEY (site_id, key)
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at)`);
    await queryRunner.query(`
      CREATE TABLE api_keys (
        consumer_key varchar(64) PRIMARY KEY,
        site_id varchar(20) NOT NULL REFERENCES accounts (site_id),
        name varchar(255) NOT NULL,
        permissions text[] NOT NULL,
        consumer_secret_encrypted text NOT NULL,
        token varchar(64) NOT NULL UNIQUE,
        token_secret_encrypted text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE api_keys`);
    await queryRunner.query(`DROP TABLE idempotency_keys`);
    await queryRunner.query(`DROP TABLE monthly_usage`);
  }
}
