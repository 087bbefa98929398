import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-store and per-chunk progress of a request's purge, and the re-drive counter (issue: worker). */
export class PurgeProgress1764400000000 implements MigrationInterface {
  name = 'PurgeProgress1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // run: 1 for the first fan-out, +1 per re-drive; part of the purge job ids so a re-drive adds new jobs.
    await queryRunner.query(`ALTER TABLE deletion_requests ADD COLUMN run integer NOT NULL DEFAULT 1`);
    await queryRunner.query(`ALTER TABLE deletion_requests ADD COLUMN failed_at timestamptz`);
    await queryRunner.query(`
      CREATE TABLE deletion_request_stores (
        request_id bigint NOT NULL REFERENCES deletion_requests (id),
        store varchar(16) NOT NULL CHECK (store IN ('chat', 'messaging', 'consumer', 'ticketing')),
        run integer NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('pending', 'processing', 'done', 'failed')),
        chunks integer NOT NULL,
        matched integer NOT NULL DEFAULT 0,
        erased integer NOT NULL DEFAULT 0,
        not_found integer NOT NULL DEFAULT 0,
        deferred integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        started_at timestamptz,
        finished_at timestamptz,
        PRIMARY KEY (request_id, store)
      )`);
    await queryRunner.query(`
      CREATE TABLE deletion_request_chunks (
        request_id bigint NOT NULL,
        store varchar(16) NOT NULL,
        chunk integer NOT NULL,
        run integer NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('pending', 'processing', 'done', 'failed')),
        matched integer NOT NULL DEFAULT 0,
        erased integer NOT NULL DEFAULT 0,
        not_found integer NOT NULL DEFAULT 0,
        deferred integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        started_at timestamptz,
        finished_at timestamptz,
        PRIMARY KEY (request_id, store, chunk),
        FOREIGN KEY (request_id, store) REFERENCES deletion_request_stores (request_id, store)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE deletion_request_chunks`);
    await queryRunner.query(`DROP TABLE deletion_request_stores`);
    await queryRunner.query(`ALTER TABLE deletion_requests DROP COLUMN failed_at, DROP COLUMN run`);
  }
}
