import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Makes the create path's enqueue mark a heap-only (HOT) update: no index covers `enqueued_at` any more, and
 * pages keep room for the new row version. The partial index it drops only served the reconciler's first
 * pass, which now reads the requests not yet started (a set the `open` index already bounds).
 */
export class HotEnqueueMark1764700000000 implements MigrationInterface {
  name = 'HotEnqueueMark1764700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX deletion_requests_not_enqueued`);
    await queryRunner.query(`ALTER TABLE deletion_requests SET (fillfactor = 85)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deletion_requests RESET (fillfactor)`);
    await queryRunner.query(
      `CREATE INDEX deletion_requests_not_enqueued ON deletion_requests (id) WHERE enqueued_at IS NULL`,
    );
  }
}
