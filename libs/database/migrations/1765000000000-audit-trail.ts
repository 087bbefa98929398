import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only audit trail (docs/ARCHITECTURE.md, "Proof"): one hash chain per request. `payload` is the exact
 * canonical JSON that was hashed, so verification never depends on re-serialising. A trigger refuses UPDATE,
 * DELETE and TRUNCATE: only someone who disables it can alter history, and `audit verify` then names the link.
 */
export class AuditTrail1765000000000 implements MigrationInterface {
  name = 'AuditTrail1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE audit_events (
      request_id bigint NOT NULL,
      seq integer NOT NULL CHECK (seq >= 1),
      type varchar(32) NOT NULL,
      at timestamptz NOT NULL,
      actor text NOT NULL,
      details jsonb NOT NULL,
      payload text NOT NULL,
      prev_hash char(64) NOT NULL,
      hash char(64) NOT NULL,
      PRIMARY KEY (request_id, seq))`);
    await queryRunner.query(`CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await queryRunner.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_events`);
    await queryRunner.query(`DROP FUNCTION audit_events_append_only()`);
  }
}
