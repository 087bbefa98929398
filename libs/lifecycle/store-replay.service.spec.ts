import type { AppConfig } from '#app/config';
import type { ReplayChunkRow, StoreReplaysRepository } from '#app/database';
import { RequestStatus, StoreName } from '#app/domain';
import type { ReplayJob, ReplayJobsProducer } from '#app/queue';
import type { EntityManager } from 'typeorm';
import { RequestLifecycle, TransitionListeners, type TransitionEvent } from './request-lifecycle.service.js';
import { StoreReplayService } from './store-replay.service.js';

const manager = { name: 'the transaction' } as unknown as EntityManager;
const config = { PURGE_CHUNK_SIZE: 2, REPLAY_IDS_PER_SECOND: 4 } as AppConfig;
const SINCE = new Date('2026-11-24T03:00:00Z');

function serviceWith(replays: Partial<StoreReplaysRepository>) {
  const told: { manager: EntityManager; events: readonly TransitionEvent[] }[] = [];
  const listeners = new TransitionListeners();
  listeners.add({ onTransition: async (m, events) => void told.push({ manager: m, events }) });
  const lifecycle = new RequestLifecycle(null as never, null as never, listeners, null as never);
  const added: ReplayJob[] = [];
  const retriedChunks: string[] = [];
  const jobs = {
    add: async (_store: StoreName, batch: readonly ReplayJob[]) => void added.push(...batch),
    jobKeys: (_store: StoreName, chunks: readonly unknown[]) => chunks.map((_, i) => `key-${i}`),
    retryFailed: async (_store: StoreName, chunks: readonly ReplayChunkRow[]) => {
      retriedChunks.push(...chunks.map((chunk) => `${chunk.requestId}#${chunk.chunk}`));
      return chunks.length;
    },
  } as unknown as ReplayJobsProducer;
  const repository = {
    transaction: <T>(work: (m: EntityManager) => Promise<T>) => work(manager),
    lockStart: async () => undefined,
    lock: async () => undefined,
    findOpen: async () => undefined,
    nextStartInMs: async () => 0,
    ...replays,
  } as StoreReplaysRepository;
  return { service: new StoreReplayService(config, repository, lifecycle, jobs), told, added, retriedChunks };
}

const chunkRow = (requestId: string, chunk: number, ids: string[]): ReplayChunkRow => ({
  replayId: '9',
  requestId,
  chunk,
  siteId: 's1',
  store: StoreName.Chat,
  ids,
  status: 'pending',
});

describe(StoreReplayService.name, () => {
  it('records a replay and tells the listeners replay_started per request in its transaction, then adds throttled chunks', async () => {
    let inserted: { chunks: unknown[] } | undefined;
    const rows = [chunkRow('1', 0, ['a', 'b']), chunkRow('1', 1, ['c']), chunkRow('2', 0, ['d', 'e'])];
    const { service, told, added } = serviceWith({
      candidates: async () => [
        { id: '1', siteId: 's1', status: RequestStatus.Done, subjectIds: ['a', 'b', 'c'] },
        { id: '2', siteId: 's1', status: RequestStatus.InProgress, subjectIds: ['d', 'e'] },
      ],
      insert: async (_m, replay, chunks) => {
        inserted = { chunks };
        return {
          ...replay,
          id: '9',
          status: 'running',
          chunks: chunks.length,
          startedAt: new Date(),
          finishedAt: null,
        };
      },
      unfinishedChunks: async () => rows,
    });
    const started = await service.start(StoreName.Chat, SINCE, null, 'system:cli');
    expect(started).toMatchObject({ replayId: '9', requests: 2, ids: 5, chunks: 3, reused: false });
    expect(inserted!.chunks).toEqual([
      { requestId: '1', siteId: 's1', chunk: 0, ids: ['a', 'b'] },
      { requestId: '1', siteId: 's1', chunk: 1, ids: ['c'] },
      { requestId: '2', siteId: 's1', chunk: 0, ids: ['d', 'e'] },
    ]);
    expect(told).toHaveLength(1);
    expect(told[0].manager).toBe(manager);
    expect(told[0].events).toEqual([
      {
        type: 'replay_started',
        requestId: '1',
        siteId: 's1',
        status: RequestStatus.Done,
        actor: 'system:cli',
        details: { replay_id: '9', store: 'chat', since: SINCE.toISOString(), chunks: 2 },
      },
      expect.objectContaining({ type: 'replay_started', requestId: '2', status: RequestStatus.InProgress }),
    ]);
    // 4 ids a second: the second chunk after the first's 2 ids, the third after 3
    expect(added.map((job) => job.delayMs)).toEqual([0, 500, 750]);
    expect(added[0].payload).toEqual({
      replayId: '9',
      requestId: '1',
      siteId: 's1',
      store: 'chat',
      chunk: 0,
      ids: ['a', 'b'],
    });
  });

  it('reuses the open replay of the same store, time and account without telling anyone again', async () => {
    const open = { id: '4', store: StoreName.Chat, requests: 1, ids: 2, chunks: 1, idsPerSecond: 4 };
    const { service, told, added } = serviceWith({
      findOpen: async () => open as never,
      candidates: async () => {
        throw new Error('an open replay is not selected again');
      },
      unfinishedChunks: async () => [chunkRow('1', 0, ['a', 'b'])],
    });
    expect(await service.start(StoreName.Chat, SINCE, 's1', 'system:cli')).toMatchObject({
      replayId: '4',
      reused: true,
    });
    expect(told).toEqual([]);
    expect(added).toHaveLength(1);
  });

  it('records nothing when nothing is to be replayed', async () => {
    const { service, told, added } = serviceWith({ candidates: async () => [] });
    expect(await service.start(StoreName.Chat, SINCE, null, 'system:cli')).toMatchObject({
      replayId: null,
      requests: 0,
    });
    expect(told).toEqual([]);
    expect(added).toEqual([]);
  });

  it("re-adds the chunks whose jobs Redis lost, spread from now at the replay's own throttle, and retries started ones", async () => {
    const rows = [
      chunkRow('1', 0, ['a', 'b']),
      { ...chunkRow('1', 1, ['c', 'd']), status: 'processing' },
      chunkRow('2', 0, ['e', 'f']),
      chunkRow('2', 1, ['g']),
    ];
    const { service, added, retriedChunks } = serviceWith({ unfinishedChunks: async () => rows });
    const replay = { id: '9', store: StoreName.Chat, idsPerSecond: 2 };
    expect(await service.enqueue(replay, async () => [false, true, false, true])).toBe(3);
    // only a started chunk still in Redis may have failed for good; a pending one is merely waiting
    expect(retriedChunks).toEqual(['1#1']);
    expect(added.map((job) => [job.payload.requestId, job.payload.chunk, job.delayMs])).toEqual([
      ['1', 0, 0],
      ['2', 0, 1000],
    ]);
  });

  it("tells replay_store_done once the request's last chunk ends, in the chunk's transaction", async () => {
    let ended = false;
    const { service, told } = serviceWith({
      recordChunk: async () => ended,
      requestTotals: async () => ({ matched: 3, erased: 2, notFound: 1, verifiedRows: 0, failed: 0 }),
      refresh: async () => true,
    });
    const key = { replayId: '9', requestId: '1', chunk: 1 };
    const request = { siteId: 's1', status: RequestStatus.Done, store: StoreName.Chat };
    await service.recordChunk(key, request, 1, { status: 'processing' });
    expect(told).toEqual([]);
    ended = true;
    await service.recordChunk(key, request, 1, { status: 'done', matched: 1 });
    expect(told).toEqual([
      {
        manager,
        events: [
          {
            type: 'replay_store_done',
            requestId: '1',
            siteId: 's1',
            status: RequestStatus.Done,
            actor: 'system:worker',
            details: {
              replay_id: '9',
              store: 'chat',
              status: 'done',
              matched: 3,
              erased: 2,
              not_found: 1,
              verified_rows: 0,
            },
          },
        ],
      },
    ]);
  });
});
