import { DeletionType, isoDay, RequestStatus, type QuotaTake } from '#app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { And, DataSource, EntityManager, LessThan, MoreThanOrEqual, type FindOptionsWhere } from 'typeorm';
import { DeletionRequestEntity } from '../entities/deletion-request.entity.js';
import { PreparedStatement } from '../prepared-statement.js';

export interface NewDeletionRequest {
  siteId: string;
  deletionType: DeletionType;
  subjectIds: string[];
  deleteJson: string;
  requestedBy: string;
  requestTime: Date;
  finalAt: Date;
  correlationId: string | null;
}

/**
 * The canonical JSON of a `created` audit event (the first of its request's hash chain), as `eventPayload` in the
 * audit lib writes it: keys in code-unit order, no whitespace, `at` in milliseconds UTC. `to_json` escapes a text
 * exactly as `JSON.stringify` does (quotes, backslashes, control characters as \u00xx). The audit verifier
 * recomputes every payload from its columns, so a drift of the two would be caught on the first verify, and
 * test/audit-created.e2e-spec.ts pins them equal for hostile actors (docs/ARCHITECTURE.md, "Proof"). Reads the
 * request row as `r`.
 */
export const CREATED_PAYLOAD_SQL = `'{"actor":' || to_json(r.requested_by::text)::text
  || ',"at":"' || to_char(r.request_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  || '","details":{"deletion_type":' || to_json(r.deletion_type::text)::text || ',"ids":' || cardinality(r.subject_ids)
  || '},"request_id":"' || r.id || '","seq":1,"type":"created"}'`;

/** The `prev_hash` of a chain's first event (the audit lib's GENESIS_HASH). */
const GENESIS = '0'.repeat(64);

/**
 * Records requests and takes one unit of one quota slot for each, atomically per request, given as parallel
 * arrays (one element per request; one element for a create alone), and writes each recorded request's `created`
 * audit event, sealed (its hash computed here), in the same statement: a create batch is one statement and one
 * commit, with no transaction around it (docs/ARCHITECTURE.md, "Create path performance").
 *
 * A request whose slot is full is not recorded. With `$11` true, neither is a request of an account with a webhook
 * endpoint subscribed to `deletion_request.created`: it comes back `deferred`, for the caller to record in a
 * transaction where the listeners write its webhook event (the check is in this statement's snapshot, so an
 * endpoint registered a moment before is never missed). Ids are drawn first so each returned row can be matched to
 * its place (`ord`) in the batch; a recorded row comes back as its id alone (the rest is what the caller gave).
 * Slots are locked in one order (site, month, slot), so two batches never wait on
 * each other in a cycle; a batch holds each slot once. Subject ids are read back from `delete_json`, which the API
 * built from them.
 */
const INSERT_TAKING_QUOTA = new PreparedStatement<Record<string, unknown>>(
  'insert-requests-taking-quota-audited',
  `WITH drawn AS MATERIALIZED (
     SELECT nextval(pg_get_serial_sequence('deletion_requests', 'id')) AS id, t.*,
            $11::boolean AND EXISTS (
              SELECT 1 FROM webhook_endpoints e
              WHERE e.site_id = t.site_id AND e.enabled AND 'deletion_request.created' = ANY (e.events)) AS deferred
     FROM unnest($1::varchar[], $2::varchar[], $3::text[], $4::varchar[], $5::timestamptz[], $6::timestamptz[],
                 $7::varchar[], $8::date[], $9::int[], $10::int[]) WITH ORDINALITY
          AS t(site_id, deletion_type, delete_json, requested_by, request_time, final_at, correlation_id, month, slot, cap, ord)),
   input AS (SELECT * FROM drawn WHERE NOT deferred),
   taken AS (
     INSERT INTO monthly_usage AS usage (site_id, month, slot, used)
     SELECT site_id, month, slot, 1 FROM input ORDER BY site_id, month, slot
     ON CONFLICT (site_id, month, slot) DO UPDATE SET used = usage.used + 1
       WHERE usage.used < (SELECT i.cap FROM input i
                           WHERE i.site_id = excluded.site_id AND i.month = excluded.month AND i.slot = excluded.slot)
     RETURNING site_id, month, slot),
   inserted AS (
     INSERT INTO deletion_requests (id, site_id, deletion_type, subject_ids, delete_json, requested_by, request_time,
                                    final_at, correlation_id, status, is_canceled, run)
     SELECT i.id, i.site_id, i.deletion_type, ARRAY(SELECT jsonb_array_elements_text(i.delete_json::jsonb -> i.deletion_type)),
            i.delete_json, i.requested_by, i.request_time, i.final_at, i.correlation_id, 'NOT_STARTED', false, 1
     FROM input i JOIN taken USING (site_id, month, slot)
     RETURNING id, deletion_type, subject_ids, requested_by, request_time),
   audited AS (
     INSERT INTO audit_events (request_id, seq, type, at, actor, details, payload, prev_hash, hash)
     SELECT r.id, 1, 'created', r.request_time, r.requested_by,
            jsonb_build_object('deletion_type', r.deletion_type, 'ids', cardinality(r.subject_ids)),
            p.payload, '${GENESIS}', encode(sha256(convert_to('${GENESIS}' || p.payload, 'UTF8')), 'hex')
     FROM inserted r CROSS JOIN LATERAL (SELECT ${CREATED_PAYLOAD_SQL} AS payload) p),
   month_used AS (
     SELECT site_id, month, sum(used)::int AS used FROM monthly_usage
     WHERE (site_id, month) IN (SELECT site_id, month FROM input) GROUP BY site_id, month)
   SELECT inserted.id, d.ord, d.deferred,
          -- the statement's snapshot does not see its own increments: add them
          coalesce(u.used, 0) + (SELECT count(*)::int FROM taken t WHERE t.site_id = d.site_id AND t.month = d.month)
            AS month_used
   FROM drawn d LEFT JOIN inserted ON inserted.id = d.id
        LEFT JOIN month_used u ON u.site_id = d.site_id AND u.month = d.month
   WHERE d.deferred OR inserted.id IS NOT NULL`,
);

const MARK_ENQUEUED = new PreparedStatement(
  'mark-requests-enqueued',
  `UPDATE deletion_requests SET enqueued_at = now() WHERE id = ANY($1::bigint[]) AND enqueued_at IS NULL`,
);

export interface QuotaTaken {
  request: DeletionRequestEntity;
  /** The month's use counting this request (as of the statement's snapshot). */
  monthUsed: number;
}

/**
 * What recording a batch answers, in the batch's order: the request recorded (with its month's use), null when its
 * quota slot was full, or `DEFERRED` when it must be recorded in a transaction with the listeners instead.
 */
export const DEFERRED = 'deferred';
export type RecordOutcome = QuotaTaken | null | typeof DEFERRED;

/** A request to record, with the quota unit it takes. */
export interface PendingCreate {
  request: NewDeletionRequest;
  quota: QuotaTake;
}

/** The deletion_requests table: SQL only (when and how creates are grouped is `RequestRecorder`'s). */
@Injectable()
export class DeletionRequestsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction of the service database. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Records the requests (marked not-yet-enqueued: the outbox marker), each taking one unit of its quota slot and
   * with its `created` audit event, in one statement (in `manager`'s transaction when given). With
   * `deferSubscribed`, requests of accounts subscribed to `created` webhooks come back DEFERRED, unrecorded.
   */
  async insertTakingQuota(
    batch: readonly PendingCreate[],
    { manager, deferSubscribed = false }: { manager?: EntityManager; deferSubscribed?: boolean } = {},
  ): Promise<RecordOutcome[]> {
    const rows = await INSERT_TAKING_QUOTA.run(
      this.dataSource,
      [
        batch.map(({ request }) => request.siteId),
        batch.map(({ request }) => request.deletionType),
        batch.map(({ request }) => request.deleteJson),
        batch.map(({ request }) => request.requestedBy),
        batch.map(({ request }) => request.requestTime),
        batch.map(({ request }) => request.finalAt),
        batch.map(({ request }) => request.correlationId),
        batch.map(({ quota }) => isoDay(quota.month)),
        batch.map(({ quota }) => quota.slot),
        batch.map(({ quota }) => quota.cap),
        deferSubscribed,
      ],
      manager,
    );
    // Rows come back in no set order; `ord` is each one's place in the batch.
    const outcomes: RecordOutcome[] = batch.map(() => null);
    for (const row of rows) {
      const index = Number(row.ord) - 1;
      outcomes[index] = row.deferred
        ? DEFERRED
        : { request: recorded(batch[index].request, String(row.id)), monthUsed: row.month_used as number };
    }
    return outcomes;
  }

  /** Marks rows enqueued, in one statement (the relay and the reconciler pass whole rounds). */
  async markEnqueued(ids: readonly string[]): Promise<void> {
    await MARK_ENQUEUED.run(this.dataSource, [ids]);
  }

  findOne(siteId: string, id: string): Promise<DeletionRequestEntity | null> {
    return this.dataSource.getRepository(DeletionRequestEntity).findOneBy({ siteId, id });
  }

  findById(id: string): Promise<DeletionRequestEntity | null> {
    return this.dataSource.getRepository(DeletionRequestEntity).findOneBy({ id });
  }

  /** One page of an account's requests, newest first, strictly before the `beforeId` cursor. */
  list(siteId: string, filter: RequestListFilter, limit: number): Promise<DeletionRequestEntity[]> {
    const where: FindOptionsWhere<DeletionRequestEntity> = { siteId };
    if (filter.status) where.status = filter.status;
    if (filter.beforeId) where.id = LessThan(filter.beforeId);
    if (filter.from && filter.until) where.requestTime = And(MoreThanOrEqual(filter.from), LessThan(filter.until));
    else if (filter.from) where.requestTime = MoreThanOrEqual(filter.from);
    else if (filter.until) where.requestTime = LessThan(filter.until);
    return this.dataSource.getRepository(DeletionRequestEntity).find({ where, order: { id: 'DESC' }, take: limit });
  }
}

export interface RequestListFilter {
  status?: RequestStatus;
  /** Inclusive lower bound on request_time. */
  from?: Date;
  /** Exclusive upper bound on request_time. */
  until?: Date;
  /** Keyset cursor: only ids below it. */
  beforeId?: string;
}

/**
 * A request as the create statement recorded it: what the caller gave, the id drawn, and the columns a new row
 * starts with (parsing the whole row back from PostgreSQL measured a few percent of a create's CPU).
 */
function recorded(request: NewDeletionRequest, id: string): DeletionRequestEntity {
  return Object.assign(new DeletionRequestEntity(), {
    id,
    siteId: request.siteId,
    deletionType: request.deletionType,
    subjectIds: request.subjectIds,
    deleteJson: request.deleteJson,
    requestedBy: request.requestedBy,
    requestTime: request.requestTime,
    finalAt: request.finalAt,
    correlationId: request.correlationId,
    status: RequestStatus.NotStarted,
    isCanceled: false,
    cancelledBy: null,
    cancelTimestamp: null,
    startedAt: null,
    completedAt: null,
    enqueuedAt: null,
    run: 1,
    failedAt: null,
  } satisfies DeletionRequestEntity);
}
