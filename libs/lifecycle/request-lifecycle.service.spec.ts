import type { DeletionRequestEntity, RequestTransitionsRepository } from '#app/database';
import { RequestStatus } from '#app/domain';
import type { DataSource, EntityManager } from 'typeorm';
import {
  RequestLifecycle,
  TransitionListeners,
  TRANSITIONS,
  type TransitionEvent,
} from './request-lifecycle.service.js';

const manager = { name: 'the transaction' } as unknown as EntityManager;
const dataSource = {
  transaction: <T>(work: (m: EntityManager) => Promise<T>) => work(manager),
} as unknown as DataSource;

function lifecycleWith(transitions: Partial<RequestTransitionsRepository>) {
  const told: { manager: EntityManager; events: readonly TransitionEvent[] }[] = [];
  const listener = {
    onTransition: async (m: EntityManager, events: readonly TransitionEvent[]) =>
      void told.push({ manager: m, events }),
  };
  const listeners = new TransitionListeners();
  listeners.add(listener);
  const lifecycle = new RequestLifecycle(dataSource, transitions as RequestTransitionsRepository, listeners);
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
});
