import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts and deletion requests (issue: foundation). */
export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE accounts (
        site_id varchar(20) PRIMARY KEY CHECK (site_id ~ '^[A-Za-z0-9_]{1,20}$'),
        monthly_quota integer CHECK (monthly_quota > 0),
        cancellation_window_seconds integer CHECK (cancellation_window_seconds >= 0),
        legacy_ticketing boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE deletion_requests (
        id bigserial PRIMARY KEY,
        site_id varchar(20) NOT NULL REFERENCES accounts (site_id),
        deletion_type varchar(16) NOT NULL
          CHECK (deletion_type IN ('engagement', 'conversation', 'consumer', 'ticketing')),
        subject_ids text[] NOT NULL CHECK (cardinality(subject_ids) BETWEEN 1 AND 100),
        delete_json text NOT NULL,
        requested_by varchar(255) NOT NULL,
        request_time timestamptz NOT NULL,
        final_at timestamptz NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'NOT_STARTED'
          CHECK (status IN ('NOT_STARTED', 'IN_PROGRESS', 'DONE', 'CANCELED', 'FAILED')),
        is_canceled boolean NOT NULL DEFAULT false,
        cancelled_by varchar(255),
        cancel_timestamp timestamptz,
        started_at timestamptz,
        completed_at timestamptz,
        enqueued_at timestamptz,
        correlation_id varchar(128),
        CHECK (is_canceled = (status = 'CANCELED'))
      )`);
    await queryRunner.query(`CREATE INDEX deletion_requests_site_id_id ON deletion_requests (site_id, id DESC)`);
    // The reconciler's scan: requests whose orchestrator job may not be in Redis yet.
    await queryRunner.query(
      `CREATE INDEX deletion_requests_not_enqueued ON deletion_requests (id) WHERE enqueued_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX deletion_requests_open ON deletion_requests (status, final_at) WHERE status IN ('NOT_STARTED', 'IN_PROGRESS')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE deletion_requests`);
    await queryRunner.query(`DROP TABLE accounts`);
  }
}
