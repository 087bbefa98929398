import type {
  DeletionRequestEntity,
  PurgeProgressRepository,
  RequestTransitionsRepository,
  StoreChange,
} from '#app/database';
import { RequestStatus, StoreName } from '#app/domain';
import type { DataSource, EntityManager } from 'typeorm';
import {
  RequestLifecycle,
  TransitionListeners,
  TRANSITIONS,
  type TransitionEvent,
} from './request-lifecycle.service.js';

const manager = { name: 'the transaction', query: async () => [] } as unknown as EntityManager;
const dataSource = {
  transaction: <T>(work: (m: EntityManager) => Promise<T>) => work(manager),
} as unknown as DataSource;

function lifecycleWith(transitions: Partial<RequestTransitionsRepository>, change?: StoreChange) {
  const told: { manager: EntityManager; events: readonly TransitionEvent[] }[] = [];
  const listener = {
    onTransition: async (m: EntityManager, events: readonly TransitionEvent[]) =>
      void told.push({ manager: m, events }),
  };
  const listeners = new TransitionListeners();
  listeners.add(listener);
  const progress = { recordChunk: async () => change } as unknown as PurgeProgressRepository;
  const lifecycle = new RequestLifecycle(dataSource, transitions as RequestTransitionsRepository, listeners, progress);
  return { lifecycle, told };
}

describe(RequestLifecycle.name, () => {
  it('declares each transition once, from the statuses it may leave', () => {
    expect(TRANSITIONS.cancel).toEqual({ from: [RequestStatus.NotStarted], to: RequestStatus.Canceled });
    expect(TRANSITIONS.start).toEqual({ from: [RequestStatus.NotStarted], to: RequestStatus.InProgress });
    expect(TRANSITIONS.redrive).toEqual({ from: [RequestStatus.Failed], to: RequestStatus.InProgress });
    expect(TRANSITIONS.finish.from).toEqual([RequestStatus.InProgress]);
  });

  it('hands the repository the declared statuses and tells the listeners of a won cancel in its transaction', async () => {
    let given: unknown;
    const { lifecycle, told } = lifecycleWith({
      cancel: async (_m, transition) => {
        given = transition;
        return { id: '7', siteId: 's1', status: RequestStatus.Canceled };
      },
    });
    await expect(lifecycle.cancel('s1', '7', 'Mike', new Date())).resolves.toBe(true);
    expect(given).toBe(TRANSITIONS.cancel);
    expect(told).toEqual([
      {
        manager,
        events: [
          {
            type: 'canceled',
            requestId: '7',
            siteId: 's1',
            status: RequestStatus.Canceled,
            actor: 'Mike',
            details: {},
          },
        ],
      },
    ]);
  });

  it('tells nobody of a transition that lost the race', async () => {
    const { lifecycle, told } = lifecycleWith({ start: async () => null });
    await expect(lifecycle.start('7', new Date(), 'system:worker')).resolves.toBe(false);
    expect(told).toEqual([]);
  });

  it('answers the status a finish reached, and refuses a re-drive of a request that is not FAILED', async () => {
    const { lifecycle } = lifecycleWith({
      finish: async () => ({ id: '7', siteId: 's1', status: RequestStatus.Failed }),
      lockForRedrive: async () =>
        ({ id: '7', siteId: 's1', run: 1, status: RequestStatus.Done }) as DeletionRequestEntity,
      redrive: async () => null,
    });
    await expect(lifecycle.finish('7', 1, 'a store failed', 'system:worker')).resolves.toBe(RequestStatus.Failed);
    await expect(lifecycle.redrive('7', 'system:cli')).rejects.toThrow(/only FAILED requests can be re-driven/);
  });

  it('reports a store that became done or failed, and deferred ids, from a chunk recorded in its transaction', async () => {
    const totals = { matched: 3, erased: 2, notFound: 1, deferred: 0, verifiedRows: 9 };
    const chunk = { requestId: '7', siteId: 's1', store: StoreName.Chat, chunk: 0, attempt: 2 };
    const done = lifecycleWith({}, { before: 'processing', after: 'done', ...totals });
    await done.lifecycle.recordProgress(chunk, { status: 'done' }, 'system:worker');
    expect(done.told.map(({ events }) => events.map((e) => [e.type, e.details]))).toEqual([
      [
        [
          'store_done',
          { store: 'chat', chunk: 0, attempt: 2, matched: 3, erased: 2, not_found: 1, deferred: 0, verified_rows: 9 },
        ],
      ],
    ]);
    const again = lifecycleWith({}, { before: 'done', after: 'done', ...totals });
    await again.lifecycle.recordProgress(chunk, { status: 'done' }, 'system:worker');
    expect(again.told).toEqual([]);
    const deferred = lifecycleWith({}, { before: 'processing', after: 'processing', ...totals, deferred: 1 });
    await deferred.lifecycle.recordProgress(chunk, { status: 'processing', deferred: 1 }, 'system:worker');
    expect(deferred.told[0].events.map((e) => e.type)).toEqual(['store_deferred']);
  });
});
