import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Store replays: re-erasure of one store after it was restored from a backup (docs/ARCHITECTURE.md, "Store
 * replay"). A replay's state lives here, not in Redis, so it survives a flushed queue; its chunks are rows of
 * their own and never touch the request's chunk rows (the request stays DONE).
 */
export class StoreReplays1765200000000 implements MigrationInterface {
  name = 'StoreReplays1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE store_replays (
        id bigserial PRIMARY KEY,
        store varchar(16) NOT NULL CHECK (store IN ('chat', 'messaging', 'consumer', 'ticketing')),
        since timestamptz NOT NULL,
        site_id varchar(20),
        status varchar(16) NOT NULL CHECK (status IN ('running', 'done', 'failed')),
        requests integer NOT NULL,
        ids integer NOT NULL,
        chunks integer NOT NULL,
        -- the throttle it started with: a resume (another process, other settings) keeps it
        ids_per_second integer NOT NULL,
        matched integer NOT NULL DEFAULT 0,
        erased integer NOT NULL DEFAULT 0,
        not_found integer NOT NULL DEFAULT 0,
        verified_rows integer NOT NULL DEFAULT 0,
        started_by varchar(255) NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    // One open replay per (store, since, account): starting it again reuses it.
    await queryRunner.query(`
      CREATE UNIQUE INDEX store_replays_open ON store_replays (store, since, coalesce(site_id, ''))
      WHERE status = 'running'`);
    await queryRunner.query(`
      CREATE TABLE store_replay_chunks (
        replay_id bigint NOT NULL REFERENCES store_replays (id),
        request_id bigint NOT NULL REFERENCES deletion_requests (id),
        chunk integer NOT NULL,
        site_id varchar(20) NOT NULL,
        store varchar(16) NOT NULL,
        ids text[] NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('pending', 'processing', 'done', 'failed')),
        matched integer NOT NULL DEFAULT 0,
        erased integer NOT NULL DEFAULT 0,
        not_found integer NOT NULL DEFAULT 0,
        deferred integer NOT NULL DEFAULT 0,
        verified_rows integer NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        started_at timestamptz,
        finished_at timestamptz,
        PRIMARY KEY (replay_id, request_id, chunk)
      )`);
    // A request's detail lists its replays.
    await queryRunner.query(`CREATE INDEX store_replay_chunks_request ON store_replay_chunks (request_id)`);
    // The replay's selection: a store's erasures finished since a time.
    await queryRunner.query(
      `CREATE INDEX deletion_request_stores_finished ON deletion_request_stores (store, finished_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX deletion_request_stores_finished`);
    await queryRunner.query(`DROP TABLE store_replay_chunks`);
    await queryRunner.query(`DROP TABLE store_replays`);
  }
}
