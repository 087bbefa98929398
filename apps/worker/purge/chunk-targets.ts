import { AppConfig } from '#app/config';
import { DeletionRequestsRepository, StoreReplaysRepository, type ChunkResult } from '#app/database';
import { RequestStatus, STORE_OF, type StoreName } from '#app/domain';
import { RequestLifecycle, StoreReplayService } from '#app/lifecycle';
import type { PurgeChunkPayload, ReplayChunkPayload } from '#app/queue';
import { Injectable } from '@nestjs/common';

const DAY_MS = 24 * 3600 * 1000;
/** The actor of the progress the worker records (the audit trail's store events). */
const ACTOR = 'system:worker';

/** A chunk to erase and where its progress goes: the request's own chunk rows, or a replay's. */
export interface ChunkTarget {
  kind: 'purge' | 'replay';
  /** For log lines: ids only. */
  label: string;
  siteId: string;
  store: StoreName;
  ids: string[];
  /** Ids still open after this are reported failed. */
  deadline: Date;
  record(attempt: number, result: ChunkResult): Promise<void>;
}

export type TargetLookup =
  | { kind: 'target'; target: ChunkTarget }
  | { kind: 'skipped'; label: string; message: string }
  | { kind: 'refused'; label: string; message: string };

/**
 * Finds what a purge or replay chunk job may erase, after checking its payload against PostgreSQL: a job
 * carries only its request's own account, store and subject ids (docs/ARCHITECTURE.md, "Tenancy"), and a
 * replay chunk only the ids of its replay's chunk row.
 */
@Injectable()
export class ChunkTargets {
  constructor(
    private readonly config: AppConfig,
    private readonly requests: DeletionRequestsRepository,
    private readonly lifecycle: RequestLifecycle,
    private readonly replays: StoreReplaysRepository,
    private readonly replayService: StoreReplayService,
  ) {}

  async purge(payload: PurgeChunkPayload): Promise<TargetLookup> {
    const { requestId, run, store, chunk, ids } = payload;
    const label = `request ${requestId} ${store}#${chunk}`;
    const request = await this.requests.findById(requestId);
    if (!request || request.status !== RequestStatus.InProgress || request.run !== run) {
      return { kind: 'skipped', label, message: `not in progress in run ${run}` };
    }
    const refusal = payloadRefusal(payload, request);
    // No progress is written: a forged job must not touch the request's own chunks. Were this its real child,
    // the request closes FAILED with this message and can be re-driven.
    if (refusal) return { kind: 'refused', label, message: `payload refused: ${refusal}` };
    const deadline = new Date(request.finalAt.getTime() + this.config.DELETION_DEADLINE_DAYS * DAY_MS);
    // Through the lifecycle, which tells the audit trail when a store of the request is done or failed.
    const record = (attempt: number, result: ChunkResult) =>
      this.lifecycle.recordProgress({ requestId, siteId: request.siteId, store, chunk, attempt }, result, ACTOR);
    return { kind: 'target', target: { kind: 'purge', label, siteId: request.siteId, store, ids, deadline, record } };
  }

  async replay(payload: ReplayChunkPayload): Promise<TargetLookup> {
    const { replayId, requestId, store, chunk, ids } = payload;
    const label = `replay ${replayId} request ${requestId} ${store}#${chunk}`;
    const row = await this.replays.findChunk(payload);
    if (!row || row.store !== store || row.siteId !== payload.siteId || !sameIds(row.ids, ids)) {
      // Not the replay's own chunk: erase nothing and write nothing.
      return {
        kind: 'refused',
        label,
        message: `payload refused: not chunk ${chunk} of replay ${replayId} for request ${requestId}`,
      };
    }
    if (row.status === 'done' || row.status === 'failed')
      return { kind: 'skipped', label, message: `already ${row.status}` };
    const request = await this.requests.findById(requestId);
    const record = (attempt: number, result: ChunkResult) =>
      this.replayService.recordChunk(
        payload,
        { siteId: payload.siteId, status: request!.status, store },
        attempt,
        result,
      );
    const refusal = request ? payloadRefusal(payload, request) : `request ${requestId} does not exist`;
    if (refusal) {
      // The replay's own chunk, yet not its request's: it fails, so the replay still ends.
      if (request) await record(1, { status: 'failed', lastError: `payload refused: ${refusal}` });
      return { kind: 'refused', label, message: `payload refused: ${refusal}` };
    }
    const deadline = new Date(row.replayStartedAt.getTime() + this.config.DELETION_DEADLINE_DAYS * DAY_MS);
    return { kind: 'target', target: { kind: 'replay', label, siteId: request!.siteId, store, ids, deadline, record } };
  }
}

/**
 * Why a chunk's payload may not run against its request, or undefined: a job carries only its request's own
 * account, store and subject ids (a forged or corrupted job in Redis must not erase anything else). Names ids only.
 */
function payloadRefusal(
  payload: PurgeChunkPayload | ReplayChunkPayload,
  request: { siteId: string; deletionType: keyof typeof STORE_OF; subjectIds: string[] },
): string | undefined {
  if (payload.siteId !== request.siteId) return `site id ${payload.siteId} is not the request's ${request.siteId}`;
  if (payload.store !== STORE_OF[request.deletionType]) return `store ${payload.store} is not the request's`;
  const subjects = new Set(request.subjectIds);
  const foreign = payload.ids.filter((id) => !subjects.has(id));
  if (foreign.length > 0) {
    return `${foreign.length} ids are not among the request's subject ids (${foreign.slice(0, 5).join(', ')})`;
  }
  return undefined;
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
