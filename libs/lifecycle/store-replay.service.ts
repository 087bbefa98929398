import { AppConfig } from '#app/config';
import {
  StoreReplaysRepository,
  type ChunkResult,
  type ReplayChunkKey,
  type ReplayChunkRow,
  type StoreReplayRow,
} from '#app/database';
import { chunkIds, throttleDelaysMs, type RequestStatus, type StoreName } from '#app/domain';
import { ReplayJobsProducer } from '#app/queue';
import { Injectable, Logger } from '@nestjs/common';
import { RequestLifecycle, type TransitionEvent } from './request-lifecycle.service.js';

/** What `stores replay` prints. `replayId` null: nothing to replay. */
export interface ReplayStart {
  replayId: string | null;
  store: StoreName;
  since: Date;
  requests: number;
  ids: number;
  chunks: number;
  /** True when an open replay of the same store, time and account was found and resumed instead. */
  reused: boolean;
}

/**
 * Re-erasure of one store after it was restored from a backup (docs/ARCHITECTURE.md, "Store replay"): the
 * replay's rows and its `replay_started` events commit together, then its chunks go on the store's queue,
 * spread by `REPLAY_IDS_PER_SECOND`. The worker records each chunk through `recordChunk`; the reconciler
 * re-adds what Redis lost through `enqueue`. A request's status never changes.
 */
@Injectable()
export class StoreReplayService {
  private readonly logger = new Logger(StoreReplayService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly replays: StoreReplaysRepository,
    private readonly lifecycle: RequestLifecycle,
    private readonly jobs: ReplayJobsProducer,
  ) {}

  /** Starts the replay of `store` from `since` (one account's, or all), or resumes the open one. */
  async start(store: StoreName, since: Date, siteId: string | null, actor: string): Promise<ReplayStart> {
    const started = await this.replays.transaction(async (manager) => {
      await this.replays.lockStart(manager, store, since, siteId);
      const open = await this.replays.findOpen(manager, store, since, siteId);
      if (open) return { replay: open, reused: true };
      const candidates = await this.replays.candidates(manager, store, since, siteId);
      if (candidates.length === 0) return undefined;
      const chunks = candidates.flatMap((request) =>
        chunkIds(request.subjectIds, this.config.PURGE_CHUNK_SIZE).map((ids, chunk) => ({
          requestId: request.id,
          siteId: request.siteId,
          chunk,
          ids,
        })),
      );
      const ids = chunks.reduce((sum, chunk) => sum + chunk.ids.length, 0);
      const replay = await this.replays.insert(
        manager,
        {
          store,
          since,
          siteId,
          requests: candidates.length,
          ids,
          idsPerSecond: this.config.REPLAY_IDS_PER_SECOND,
          startedBy: actor,
        },
        chunks,
      );
      const details = { replay_id: replay.id, store, since: since.toISOString() };
      await this.lifecycle.replayEvents(
        manager,
        candidates.map((request) => ({
          type: 'replay_started',
          requestId: request.id,
          siteId: request.siteId,
          status: request.status,
          actor,
          details: { ...details, chunks: chunks.filter((chunk) => chunk.requestId === request.id).length },
        })),
      );
      return { replay, reused: false };
    });
    if (!started) return { replayId: null, store, since, requests: 0, ids: 0, chunks: 0, reused: false };
    const { replay, reused } = started;
    // After the commit, so a chunk's job never runs ahead of its row; an open replay's existing jobs stay as they are.
    await this.enqueue(replay);
    this.logger.log(`replay ${replay.id} of ${store} since ${since.toISOString()}: ${replay.chunks} chunks`);
    return {
      replayId: replay.id,
      store,
      since,
      requests: replay.requests,
      ids: replay.ids,
      chunks: replay.chunks,
      reused,
    };
  }

  /**
   * Puts a replay's unfinished chunks on its store's queue, spread from now by the throttle the replay started
   * with. `keysExist`: add only those whose job Redis does not hold, and retry started ones whose job failed
   * for good (the reconciler's resume); job ids make any re-add harmless anyway. Returns the chunks repaired.
   */
  async enqueue(
    replay: Pick<StoreReplayRow, 'id' | 'store' | 'idsPerSecond'>,
    keysExist?: (keys: string[]) => Promise<boolean[]>,
  ): Promise<number> {
    let chunks: ReplayChunkRow[] = await this.replays.unfinishedChunks(replay.id);
    let retried = 0;
    if (keysExist && chunks.length > 0) {
      const present = await keysExist(this.jobs.jobKeys(replay.store, chunks));
      // Started, never ended, yet still in Redis: its job may have failed for good without recording it.
      const started = chunks.filter((chunk, i) => present[i] && chunk.status === 'processing');
      retried = await this.jobs.retryFailed(replay.store, started);
      chunks = chunks.filter((_, i) => !present[i]);
    }
    if (chunks.length === 0) return retried;
    // A resume waits for the chunk that ran last: the rate holds across the gap, not only within each batch.
    const offset = await this.replays.nextStartInMs(replay.id, replay.idsPerSecond);
    const delays = throttleDelaysMs(
      chunks.map((chunk) => chunk.ids.length),
      replay.idsPerSecond,
    ).map((delay) => delay + offset);
    await this.jobs.add(
      replay.store,
      chunks.map(({ replayId, requestId, siteId, store, chunk, ids }, i) => ({
        payload: { replayId, requestId, siteId, store, chunk, ids },
        delayMs: delays[i],
      })),
    );
    return chunks.length + retried;
  }

  /**
   * Records a chunk's attempt or outcome. When it ends the request's last chunk in the replay, its
   * `replay_store_done` event commits with it; when it ends the replay's last chunk, the replay closes.
   */
  async recordChunk(
    key: ReplayChunkKey,
    request: { siteId: string; status: RequestStatus; store: StoreName },
    attempt: number,
    result: ChunkResult & { verifiedRows?: number },
  ): Promise<void> {
    await this.replays.transaction(async (manager) => {
      await this.replays.lock(manager, key.replayId);
      if (!(await this.replays.recordChunk(manager, key, attempt, result))) return;
      const totals = await this.replays.requestTotals(manager, key.replayId, key.requestId);
      if (totals) {
        const event: TransitionEvent = {
          type: 'replay_store_done',
          requestId: key.requestId,
          siteId: request.siteId,
          status: request.status,
          actor: 'system:worker',
          details: {
            replay_id: key.replayId,
            store: request.store,
            status: totals.failed > 0 ? 'failed' : 'done',
            matched: totals.matched,
            erased: totals.erased,
            not_found: totals.notFound,
            verified_rows: totals.verifiedRows,
          },
        };
        await this.lifecycle.replayEvents(manager, [event]);
      }
      if (await this.replays.refresh(manager, key.replayId)) this.logger.log(`replay ${key.replayId} finished`);
    });
  }
}
