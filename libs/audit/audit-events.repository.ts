import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { canonicalJson } from './canonical-json.js';
import type { SealedAuditEvent } from './hash-chain.js';

const COLUMNS = `request_id::text AS "requestId", seq, type, at, actor, details, payload, prev_hash AS "prevHash", hash`;

/** The SQL of the audit trail (docs/ARCHITECTURE.md, "Proof"): appends and reads, never updates. */
@Injectable()
export class AuditEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One multi-row INSERT for sealed events, in the caller's transaction. */
  async insert(manager: EntityManager, events: readonly SealedAuditEvent[]): Promise<void> {
    if (events.length === 0) return;
    await manager.query(
      `INSERT INTO audit_events (request_id, seq, type, at, actor, details, payload, prev_hash, hash)
       SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::timestamptz[], $5::text[], $6::jsonb[],
                            $7::text[], $8::text[], $9::text[])`,
      [
        events.map((e) => e.requestId),
        events.map((e) => e.seq),
        events.map((e) => e.type),
        events.map((e) => e.at.toISOString()),
        events.map((e) => e.actor),
        events.map((e) => canonicalJson(e.details)),
        events.map((e) => e.payload),
        events.map((e) => e.prevHash),
        events.map((e) => e.hash),
      ],
    );
  }

  /**
   * Locks the requests' rows (as an UPDATE of them would: transitions already hold it), so two events of one
   * request never append at once, then answers each one's last seq and hash.
   */
  async lockHeads(
    manager: EntityManager,
    requestIds: readonly string[],
  ): Promise<Map<string, { seq: number; hash: string; type: string; prevHash: string }>> {
    await manager.query(`SELECT id FROM deletion_requests WHERE id = ANY($1::bigint[]) ORDER BY id FOR NO KEY UPDATE`, [
      requestIds,
    ]);
    const rows: { requestId: string; seq: number; hash: string; type: string; prevHash: string }[] =
      await manager.query(
        `SELECT DISTINCT ON (request_id) request_id::text AS "requestId", seq, hash, type, prev_hash AS "prevHash"
       FROM audit_events
       WHERE request_id = ANY($1::bigint[]) ORDER BY request_id, seq DESC`,
        [requestIds],
      );
    return new Map(rows.map(({ requestId, ...head }) => [requestId, head]));
  }

  /** A request's events, oldest first; the caller has checked the request is the account's. */
  async list(requestId: string, manager: EntityManager = this.dataSource.manager): Promise<SealedAuditEvent[]> {
    return manager.query(`SELECT ${COLUMNS} FROM audit_events WHERE request_id = $1 ORDER BY seq`, [requestId]);
  }
}
