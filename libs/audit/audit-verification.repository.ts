import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { SealedAuditEvent } from './hash-chain.js';

/** A request as `audit verify` sees it: what its row says, which its trail must agree with. */
export interface AuditedRequest {
  id: string;
  status: string;
  deletionType: string;
  /** How many subject ids it names. */
  ids: number;
  requestedBy: string;
  events: SealedAuditEvent[];
  /** The `receipt_issued` events recorded by `issued_receipts`: seq and hash. */
  receipts: { seq: number; hash: string }[];
  /** The store replays that took the request on (each must have its `replay_started` event). */
  replayIds: string[];
}

export interface AuditPage {
  requests: AuditedRequest[];
  /** Request ids with events but no request row (its row was deleted), in the page's id range. */
  orphans: string[];
}

interface JoinedRow {
  id: string;
  status: string;
  deletionType: string;
  ids: number;
  requestedBy: string;
  seq: number | null;
  type: string;
  at: Date;
  actor: string;
  details: Record<string, unknown>;
  payload: string;
  prevHash: string;
  hash: string;
}

const MAX_ORPHANS = 100;

/**
 * The reads of `audit verify` (docs/ARCHITECTURE.md, "Proof"), from `deletion_requests` so a request whose events
 * were all deleted is seen too. One page: a keyset page of requests LEFT JOIN their events, then their receipts,
 * replays and (without an account filter) orphaned events, four queries in one read-only snapshot.
 */
@Injectable()
export class AuditVerificationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  page(afterId: string, limit: number, siteId?: string): Promise<AuditPage> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await manager.query('SET TRANSACTION READ ONLY');
      const requests = await this.requestsWithEvents(manager, afterId, limit, siteId);
      const ids = requests.map((request) => request.id);
      const byId = new Map(requests.map((request) => [request.id, request]));
      if (ids.length > 0) {
        const receipts: { requestId: string; seq: number; hash: string }[] = await manager.query(
          `SELECT request_id::text AS "requestId", seq, hash FROM issued_receipts
           WHERE request_id = ANY($1::bigint[]) ORDER BY request_id, seq`,
          [ids],
        );
        for (const { requestId, ...receipt } of receipts) byId.get(requestId)!.receipts.push(receipt);
        const replays: { requestId: string; replayId: string }[] = await manager.query(
          `SELECT DISTINCT request_id::text AS "requestId", replay_id::text AS "replayId" FROM store_replay_chunks
           WHERE request_id = ANY($1::bigint[]) ORDER BY 1, 2`,
          [ids],
        );
        for (const { requestId, replayId } of replays) byId.get(requestId)!.replayIds.push(replayId);
      }
      // Without an account filter every event must belong to a request: look in this page's id range (the last
      // page's range has no end).
      const upTo = requests.length === limit ? ids[ids.length - 1] : undefined;
      const orphans = siteId ? [] : await this.orphans(manager, afterId, upTo);
      return { requests, orphans };
    });
  }

  private async requestsWithEvents(
    manager: EntityManager,
    afterId: string,
    limit: number,
    siteId?: string,
  ): Promise<AuditedRequest[]> {
    const rows: JoinedRow[] = await manager.query(
      `WITH page AS (
         SELECT id, status, deletion_type, cardinality(subject_ids) AS ids, requested_by FROM deletion_requests
         WHERE id > $1 ${siteId ? 'AND site_id = $3' : ''} ORDER BY id LIMIT $2)
       SELECT p.id::text AS id, p.status, p.deletion_type AS "deletionType", p.ids, p.requested_by AS "requestedBy",
              e.seq, e.type, e.at, e.actor, e.details, e.payload, e.prev_hash AS "prevHash", e.hash
       FROM page p LEFT JOIN audit_events e ON e.request_id = p.id
       ORDER BY p.id, e.seq`,
      siteId ? [afterId, limit, siteId] : [afterId, limit],
    );
    const requests: AuditedRequest[] = [];
    for (const row of rows) {
      let request = requests[requests.length - 1];
      if (request?.id !== row.id) {
        const { id, status, deletionType, ids, requestedBy } = row;
        request = { id, status, deletionType, ids, requestedBy, events: [], receipts: [], replayIds: [] };
        requests.push(request);
      }
      if (row.seq === null) continue;
      const { seq, type, at, actor, details, payload, prevHash, hash } = row;
      request.events.push({ requestId: row.id, seq, type, at: new Date(at), actor, details, payload, prevHash, hash });
    }
    return requests;
  }

  private async orphans(manager: EntityManager, afterId: string, upTo: string | undefined): Promise<string[]> {
    const rows: { requestId: string | number }[] = await manager.query(
      `SELECT DISTINCT e.request_id AS "requestId" FROM audit_events e
       WHERE e.request_id > $1 ${upTo === undefined ? '' : 'AND e.request_id <= $3'}
         AND NOT EXISTS (SELECT 1 FROM deletion_requests r WHERE r.id = e.request_id)
       ORDER BY e.request_id LIMIT $2`,
      upTo === undefined ? [afterId, MAX_ORPHANS] : [afterId, MAX_ORPHANS, upTo],
    );
    return rows.map((row) => String(row.requestId));
  }
}
