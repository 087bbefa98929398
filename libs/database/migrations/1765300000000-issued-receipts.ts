import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A row per receipt issued (docs/ARCHITECTURE.md, "Proof"): the request, the seq and hash of its `receipt_issued`
 * event, the key and the audit head it signed. Written in the transaction that appends the event, so `audit
 * verify` can tell a trail whose receipt event was deleted from one that never had a receipt. Append-only, as
 * the trail is.
 */
export class IssuedReceipts1765300000000 implements MigrationInterface {
  name = 'IssuedReceipts1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE issued_receipts (
      request_id bigint NOT NULL REFERENCES deletion_requests (id),
      seq integer NOT NULL CHECK (seq >= 1),
      hash char(64) NOT NULL,
      kid text NOT NULL,
      audit_head char(64) NOT NULL,
      issued_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (request_id, seq))`);
    // One refusal for any append-only table from here on: the function names the table its trigger is on.
    await queryRunner.query(`CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    // Per statement, so one trigger covers TRUNCATE too; an UPDATE or DELETE is refused even when it matches no row.
    await queryRunner.query(`CREATE TRIGGER issued_receipts_append_only
      BEFORE UPDATE OR DELETE OR TRUNCATE ON issued_receipts FOR EACH STATEMENT EXECUTE FUNCTION append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE issued_receipts`);
    await queryRunner.query(`DROP FUNCTION append_only()`);
  }
}
