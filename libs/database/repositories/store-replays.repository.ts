import type { StoreName } from '#app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { chunkOutcomeParams, type ChunkResult } from './purge-progress.repository.js';
import type {
  ReplayCandidate,
  ReplayChunkKey,
  ReplayChunkRow,
  ReplayCounts,
  RequestReplayRow,
  StoreReplayRow,
} from './store-replay.types.js';

export type * from './store-replay.types.js';

/** A replay's columns; `p`: the alias of store_replays ('' for none). */
const replayColumns = (p = ''): string =>
  `${p}id::text AS id, ${p}store, ${p}since, ${p}site_id AS "siteId", ${p}status, ${p}requests, ${p}ids,
   ${p}chunks, ${p}ids_per_second AS "idsPerSecond", ${p}started_at AS "startedAt", ${p}finished_at AS "finishedAt"`;
const REPLAY_COLUMNS = replayColumns();

/** Chunk counts summed; `c`: the alias of store_replay_chunks ('' for none). */
const counts = (c = ''): string =>
  `coalesce(sum(${c}matched), 0)::int AS matched, coalesce(sum(${c}erased), 0)::int AS erased,
   coalesce(sum(${c}not_found), 0)::int AS "notFound", coalesce(sum(${c}verified_rows), 0)::int AS "verifiedRows"`;
const COUNTS = counts();

/** Store replays and their chunks (docs/ARCHITECTURE.md, "Store replay"): SQL only. */
@Injectable()
export class StoreReplaysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Requests whose erasure in `store` finished at or after `since`, and those still erasing there. */
  candidates(manager: EntityManager, store: StoreName, since: Date, siteId: string | null): Promise<ReplayCandidate[]> {
    return manager.query(
      `SELECT r.id::text, r.site_id AS "siteId", r.status, r.subject_ids AS "subjectIds"
       FROM deletion_request_stores s JOIN deletion_requests r ON r.id = s.request_id
       WHERE s.store = $1 AND ($3::varchar IS NULL OR r.site_id = $3)
         AND ((s.status = 'done' AND s.finished_at >= $2)
              OR (r.status = 'IN_PROGRESS' AND s.status IN ('pending', 'processing')))
       ORDER BY r.id`,
      [store, since, siteId],
    );
  }

  /** Serializes starts of the same replay (the open-replay index backs it). */
  async lockStart(manager: EntityManager, store: StoreName, since: Date, siteId: string | null): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('store-replay'), hashtext($1))`, [
      `${store}|${since.toISOString()}|${siteId ?? ''}`,
    ]);
  }

  async findOpen(
    manager: EntityManager,
    store: StoreName,
    since: Date,
    siteId: string | null,
  ): Promise<StoreReplayRow | undefined> {
    const rows: StoreReplayRow[] = await manager.query(
      `SELECT ${REPLAY_COLUMNS} FROM store_replays
       WHERE status = 'running' AND store = $1 AND since = $2 AND coalesce(site_id, '') = coalesce($3, '')`,
      [store, since, siteId],
    );
    return rows[0];
  }

  async insert(
    manager: EntityManager,
    replay: {
      store: StoreName;
      since: Date;
      siteId: string | null;
      requests: number;
      ids: number;
      idsPerSecond: number;
      startedBy: string;
    },
    chunks: { requestId: string; siteId: string; chunk: number; ids: string[] }[],
  ): Promise<StoreReplayRow> {
    const [row]: StoreReplayRow[] = await manager.query(
      `INSERT INTO store_replays (store, since, site_id, status, requests, ids, chunks, ids_per_second, started_by)
       VALUES ($1, $2, $3, 'running', $4, $5, $6, $7, $8) RETURNING ${REPLAY_COLUMNS}`,
      [
        replay.store,
        replay.since,
        replay.siteId,
        replay.requests,
        replay.ids,
        chunks.length,
        replay.idsPerSecond,
        replay.startedBy,
      ],
    );
    // One statement for every chunk; ids travel as JSON (unnest would flatten a 2-D array).
    await manager.query(
      `INSERT INTO store_replay_chunks (replay_id, request_id, chunk, site_id, store, ids, status)
       SELECT $1, t.request_id, t.chunk, t.site_id, $2, ARRAY(SELECT jsonb_array_elements_text(t.ids::jsonb)), 'pending'
       FROM unnest($3::bigint[], $4::int[], $5::varchar[], $6::text[]) AS t(request_id, chunk, site_id, ids)`,
      [
        row.id,
        replay.store,
        chunks.map((c) => c.requestId),
        chunks.map((c) => c.chunk),
        chunks.map((c) => c.siteId),
        chunks.map((c) => JSON.stringify(c.ids)),
      ],
    );
    return row;
  }

  async find(replayId: string): Promise<(StoreReplayRow & ReplayCounts & { chunksDone: number }) | undefined> {
    const rows: (StoreReplayRow & ReplayCounts & { chunksDone: number })[] = await this.dataSource.query(
      `SELECT ${replayColumns('p.')}, c.*
       FROM store_replays p,
            LATERAL (SELECT ${COUNTS}, count(*) FILTER (WHERE status IN ('done', 'failed'))::int AS "chunksDone"
                     FROM store_replay_chunks WHERE replay_id = p.id) c
       WHERE p.id = $1`,
      [replayId],
    );
    return rows[0];
  }

  /** The chunks of a replay not yet ended, in the order they run. */
  unfinishedChunks(replayId: string): Promise<ReplayChunkRow[]> {
    return this.dataSource.query(
      `SELECT replay_id::text AS "replayId", request_id::text AS "requestId", chunk, site_id AS "siteId", store, ids, status
       FROM store_replay_chunks WHERE replay_id = $1 AND status IN ('pending', 'processing')
       ORDER BY request_id, chunk`,
      [replayId],
    );
  }

  /** Milliseconds from now before the replay's next chunk may start: its latest chunk's share of the rate. */
  async nextStartInMs(replayId: string, idsPerSecond: number): Promise<number> {
    const rows: { wait: number | null }[] = await this.dataSource.query(
      `SELECT extract(epoch FROM (started_at + cardinality(ids) / $2::float * interval '1 second') - now()) * 1000
                AS wait
       FROM store_replay_chunks WHERE replay_id = $1 AND started_at IS NOT NULL ORDER BY started_at DESC LIMIT 1`,
      [replayId, idsPerSecond],
    );
    return Math.max(0, Number(rows[0]?.wait ?? 0));
  }

  /** Replays still running that started before `settledBefore` (the reconciler resumes them). */
  async running(settledBefore: Date): Promise<StoreReplayRow[]> {
    return this.dataSource.query(
      `SELECT ${REPLAY_COLUMNS} FROM store_replays WHERE status = 'running' AND started_at < $1 ORDER BY id`,
      [settledBefore],
    );
  }

  /** A chunk with its replay's start, for the worker to check a payload against. */
  async findChunk(key: ReplayChunkKey): Promise<(ReplayChunkRow & { replayStartedAt: Date }) | undefined> {
    const rows: (ReplayChunkRow & { replayStartedAt: Date })[] = await this.dataSource.query(
      `SELECT c.replay_id::text AS "replayId", c.request_id::text AS "requestId", c.chunk, c.site_id AS "siteId",
              c.store, c.ids, c.status, p.started_at AS "replayStartedAt"
       FROM store_replay_chunks c JOIN store_replays p ON p.id = c.replay_id
       WHERE c.replay_id = $1 AND c.request_id = $2 AND c.chunk = $3`,
      [key.replayId, key.requestId, key.chunk],
    );
    return rows[0];
  }

  /** Locks a replay's row: its chunk records are serialized, so each end is seen exactly once. */
  async lock(manager: EntityManager, replayId: string): Promise<void> {
    await manager.query(`SELECT 1 FROM store_replays WHERE id = $1 FOR UPDATE`, [replayId]);
  }

  /** Records a chunk's attempt or outcome; true when this record is the one that ended it. */
  async recordChunk(
    manager: EntityManager,
    key: ReplayChunkKey,
    attempt: number,
    result: ChunkResult & { verifiedRows?: number },
  ): Promise<boolean> {
    const ended = result.status === 'done' || result.status === 'failed';
    // In a CTE: TypeORM answers a bare UPDATE ... RETURNING with [rows, count], not rows.
    const rows: { ended: boolean }[] = await manager.query(
      `WITH changed AS (
         UPDATE store_replay_chunks c SET status = $4, attempts = greatest(c.attempts, $5),
           matched = coalesce($6, c.matched), erased = coalesce($7, c.erased), not_found = coalesce($8, c.not_found),
           deferred = coalesce($9, c.deferred), verified_rows = coalesce($10, c.verified_rows), last_error = $11,
           started_at = coalesce(c.started_at, now()), finished_at = CASE WHEN $12 THEN now() END
         FROM store_replay_chunks old
         WHERE c.replay_id = $1 AND c.request_id = $2 AND c.chunk = $3
           AND old.replay_id = c.replay_id AND old.request_id = c.request_id AND old.chunk = c.chunk
         RETURNING $12 AND old.status NOT IN ('done', 'failed') AS ended)
       SELECT ended FROM changed`,
      [
        key.replayId,
        key.requestId,
        key.chunk,
        ...chunkOutcomeParams(attempt, result),
        result.verifiedRows ?? null,
        result.lastError ?? null,
        ended,
      ],
    );
    return rows[0]?.ended ?? false;
  }

  /** A request's share of a replay once every chunk of it ended, else undefined. */
  async requestTotals(
    manager: EntityManager,
    replayId: string,
    requestId: string,
  ): Promise<(ReplayCounts & { failed: number }) | undefined> {
    const [row]: (ReplayCounts & { failed: number; ended: boolean })[] = await manager.query(
      `SELECT ${COUNTS}, count(*) FILTER (WHERE status = 'failed')::int AS failed,
              bool_and(status IN ('done', 'failed')) AS ended
       FROM store_replay_chunks WHERE replay_id = $1 AND request_id = $2`,
      [replayId, requestId],
    );
    return row?.ended ? row : undefined;
  }

  /** Refreshes a replay's totals, and closes it once every chunk ended; true when this call closed it. */
  async refresh(manager: EntityManager, replayId: string): Promise<boolean> {
    const rows: { closed: boolean }[] = await manager.query(
      `WITH changed AS (
         UPDATE store_replays p SET matched = a.matched, erased = a.erased, not_found = a."notFound",
           verified_rows = a."verifiedRows",
           status = CASE WHEN a.open > 0 THEN 'running' WHEN a.failed > 0 THEN 'failed' ELSE 'done' END,
           finished_at = CASE WHEN a.open > 0 THEN NULL ELSE now() END
         FROM (SELECT ${COUNTS}, count(*) FILTER (WHERE status IN ('pending', 'processing')) AS open,
                      count(*) FILTER (WHERE status = 'failed') AS failed
               FROM store_replay_chunks WHERE replay_id = $1) a
         WHERE p.id = $1 AND p.status = 'running'
         RETURNING a.open = 0 AS closed)
       SELECT closed FROM changed`,
      [replayId],
    );
    return rows[0]?.closed ?? false;
  }

  /** The replays of one of the account's requests, oldest first. */
  async forRequest(siteId: string, requestId: string): Promise<RequestReplayRow[]> {
    return (await this.forRequests([{ siteId, requestId }])).get(requestId) ?? [];
  }

  /** The replays of several requests (each with its account), by request id, oldest first; one statement. */
  async forRequests(
    requests: readonly { siteId: string; requestId: string }[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, RequestReplayRow[]>> {
    const rows: (RequestReplayRow & { requestId: string })[] = await manager.query(
      `SELECT c.request_id::text AS "requestId", p.id::text AS "replayId", p.store, p.started_at AS "startedAt",
              CASE WHEN bool_and(c.status IN ('done', 'failed')) THEN max(c.finished_at) END AS "finishedAt",
              CASE WHEN bool_or(c.status IN ('pending', 'processing')) THEN 'running'
                   WHEN bool_or(c.status = 'failed') THEN 'failed' ELSE 'done' END AS status,
              ${counts('c.')}
       FROM store_replay_chunks c JOIN store_replays p ON p.id = c.replay_id
       WHERE (c.site_id, c.request_id) IN (SELECT * FROM unnest($1::varchar[], $2::bigint[]))
       GROUP BY c.request_id, p.id ORDER BY c.request_id, p.id`,
      [requests.map((request) => request.siteId), requests.map((request) => request.requestId)],
    );
    const byRequest = new Map<string, RequestReplayRow[]>();
    for (const { requestId, ...row } of rows) byRequest.set(requestId, [...(byRequest.get(requestId) ?? []), row]);
    return byRequest;
  }
}
