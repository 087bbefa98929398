import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read-back verification figures per chunk and per store (the store sums its chunks), and the development
 * receipt signing key, generated once when RECEIPT_SIGNING_KEYS is unset (never in production).
 */
export class VerificationAndReceipts1765000000001 implements MigrationInterface {
  name = 'VerificationAndReceipts1765000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['deletion_request_chunks', 'deletion_request_stores']) {
      await queryRunner.query(
        `ALTER TABLE ${table} ADD COLUMN verified_rows integer NOT NULL DEFAULT 0, ADD COLUMN verified_at timestamptz`,
      );
    }
    await queryRunner.query(`CREATE TABLE receipt_signing_keys (
      name text PRIMARY KEY,
      kid text NOT NULL,
      private_jwk jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE receipt_signing_keys`);
    for (const table of ['deletion_request_chunks', 'deletion_request_stores']) {
      await queryRunner.query(`ALTER TABLE ${table} DROP COLUMN verified_rows, DROP COLUMN verified_at`);
    }
  }
}
