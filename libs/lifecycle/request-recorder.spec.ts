import {
  DEFERRED,
  DeletionRequestEntity,
  type DeletionRequestsRepository,
  type NewDeletionRequest,
  type PendingCreate,
  type RecordOutcome,
} from '#app/database';
import { DeletionType } from '#app/domain';
import type { EntityManager } from 'typeorm';
import type { RequestLifecycle } from './request-lifecycle.service.js';
import { RequestRecorder } from './request-recorder.js';

const quota = { month: new Date('2026-12-01T00:00:00.000Z'), slot: 0, cap: 1000 };
const requestOf = (siteId: string): NewDeletionRequest => ({
  siteId,
  deletionType: DeletionType.Consumer,
  subjectIds: ['c1'],
  deleteJson: '{"consumer":["c1"]}',
  requestedBy: 'brand-user',
  requestTime: new Date(),
  finalAt: new Date(),
  correlationId: null,
});
const taken = (pending: PendingCreate) => ({
  request: Object.assign(new DeletionRequestEntity(), { id: pending.request.siteId, siteId: pending.request.siteId }),
  monthUsed: 1,
});

/**
 * A recorder over a fake repository: `outcome` answers each create of the statement outside a transaction (by its
 * site id), `committed` lists what committed. Inside the transaction, the site `bad-tx` fails.
 */
function recorderWith(outcome: (pending: PendingCreate) => RecordOutcome | Error) {
  const committed: string[] = [];
  const repository = {
    insertTakingQuota: (batch: PendingCreate[], { manager }: { manager?: EntityManager } = {}) => {
      if (manager) {
        if (batch.some((pending) => pending.request.siteId === 'bad-tx')) return Promise.reject(new Error('tx failed'));
        return Promise.resolve(batch.map(taken));
      }
      const outcomes = batch.map(outcome);
      const error = outcomes.find((result) => result instanceof Error);
      if (error) return Promise.reject(error);
      batch.forEach((pending, index) => outcomes[index] !== DEFERRED && committed.push(pending.request.siteId));
      return Promise.resolve(outcomes);
    },
    transaction: <T>(work: (manager: EntityManager) => Promise<T>) => work({} as EntityManager),
  } as unknown as DeletionRequestsRepository;
  const lifecycle = { hasListeners: true, recorded: () => Promise.resolve() } as unknown as RequestLifecycle;
  return { recorder: new RequestRecorder(repository, lifecycle), committed };
}

const settle = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (error: Error) => ({ error: error.message }),
  );

describe(RequestRecorder.name, () => {
  it.each([
    {
      when: 'the deferred creates fail in their transaction, only they fail, never those the statement committed',
      bad: 'bad-tx',
      outcome: (pending: PendingCreate): RecordOutcome | Error =>
        pending.request.siteId === 'bad-tx' ? DEFERRED : taken(pending),
      error: 'tx failed',
    },
    {
      when: 'a batch statement fails, each create is tried alone and only the bad one fails',
      bad: 'bad-row',
      outcome: (pending: PendingCreate): RecordOutcome | Error =>
        pending.request.siteId === 'bad-row' ? new Error('bad row') : taken(pending),
      error: 'bad row',
    },
  ])('when $when', async ({ bad, outcome, error }) => {
    const { recorder, committed } = recorderWith(outcome);
    // the first create runs alone; the next three share one batch
    const first = recorder.record(requestOf('ok-0'), quota);
    const rest = ['ok-1', bad, 'ok-2'].map((site) => settle(recorder.record(requestOf(site), quota)));
    await first;
    const results = await Promise.all(rest);
    expect(results.map((result) => ('error' in result ? result.error : 'recorded'))).toEqual([
      'recorded',
      error,
      'recorded',
    ]);
    expect(committed).toEqual(['ok-0', 'ok-1', 'ok-2']);
  });
});
