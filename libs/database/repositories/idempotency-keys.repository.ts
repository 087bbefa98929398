import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

export interface StoredIdempotencyKey {
  bodyHash: string;
  requestId: string | null;
}

/** Idempotency-Key records, scoped to the account, valid for a time window. */
@Injectable()
export class IdempotencyKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The key's record if it was used after `since`. */
  async find(siteId: string, key: string, since: Date): Promise<StoredIdempotencyKey | null> {
    const rows: StoredIdempotencyKey[] = await this.dataSource.query(
      `SELECT body_hash AS "bodyHash", request_id AS "requestId" FROM idempotency_keys
       WHERE site_id = $1 AND key = $2 AND created_at > $3`,
      [siteId, key, since],
    );
    return rows[0] ?? null;
  }

  /**
   * Claims the key in the caller's transaction (a new key, or one last used before `expiredBefore`). A concurrent
   * claim of the same key waits on the unique index until this transaction ends, then fails: one request per key.
   */
  async claim(
    manager: EntityManager,
    siteId: string,
    key: string,
    bodyHash: string,
    now: Date,
    expiredBefore: Date,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `WITH claimed AS (
         INSERT INTO idempotency_keys (site_id, key, body_hash, request_id, created_at) VALUES ($1, $2, $3, NULL, $4)
         ON CONFLICT (site_id, key) DO UPDATE SET body_hash = EXCLUDED.body_hash, request_id = NULL,
           created_at = EXCLUDED.created_at
         WHERE idempotency_keys.created_at <= $5
         RETURNING key)
       SELECT key FROM claimed`,
      [siteId, key, bodyHash, now, expiredBefore],
    );
    return rows.length === 1;
  }

  async attach(manager: EntityManager, siteId: string, key: string, requestId: string): Promise<void> {
    await manager.query(`UPDATE idempotency_keys SET request_id = $3 WHERE site_id = $1 AND key = $2`, [
      siteId,
      key,
      requestId,
    ]);
  }
}
