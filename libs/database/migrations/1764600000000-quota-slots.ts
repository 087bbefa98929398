import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Splits each account's monthly counter into slots whose caps add up to the limit, so concurrent creates of one
 * account take different rows instead of queuing on one row lock (see QuotaRepository).
 */
export class QuotaSlots1764600000000 implements MigrationInterface {
  name = 'QuotaSlots1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE monthly_usage ADD COLUMN slot smallint NOT NULL DEFAULT 0 CHECK (slot >= 0)`);
    await queryRunner.query(`ALTER TABLE monthly_usage DROP CONSTRAINT monthly_usage_pkey`);
    await queryRunner.query(`ALTER TABLE monthly_usage ADD PRIMARY KEY (site_id, month, slot)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TEMP TABLE usage_sum AS SELECT site_id, month, sum(used)::int AS used FROM monthly_usage GROUP BY site_id, month`);
    await queryRunner.query(`DELETE FROM monthly_usage`);
    await queryRunner.query(`ALTER TABLE monthly_usage DROP CONSTRAINT monthly_usage_pkey`);
    await queryRunner.query(`ALTER TABLE monthly_usage DROP COLUMN slot`);
    await queryRunner.query(`ALTER TABLE monthly_usage ADD PRIMARY KEY (site_id, month)`);
    await queryRunner.query(
      `INSERT INTO monthly_usage (site_id, month, used) SELECT site_id, month, used FROM usage_sum`,
    );
  }
}
