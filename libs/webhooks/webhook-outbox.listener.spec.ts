import {
  DeletionRequestEntity,
  DeletionRequestStoreEntity,
  type NewWebhookEvent,
  type RequestReplayRow,
  type StoreReplaysRepository,
  type WebhookDeliveriesRepository,
  type WebhookEndpointsRepository,
} from '#app/database';
import { RequestStatus, StoreName } from '#app/domain';
import { TransitionListeners, type TransitionEvent } from '#app/lifecycle';
import type { EntityManager } from 'typeorm';
import { WebhookOutboxListener } from './webhook-outbox.listener.js';

const request = Object.assign(new DeletionRequestEntity(), {
  id: '41',
  siteId: 'site-a',
  deletionType: 'consumer',
  subjectIds: ['c1'],
  deleteJson: '{"consumer":["c1"]}',
  requestedBy: 'brand-user',
  requestTime: new Date('2026-12-01T10:00:00.000Z'),
  finalAt: new Date('2026-12-01T10:00:00.000Z'),
  status: RequestStatus.Done,
  isCanceled: false,
});
const replay: RequestReplayRow = {
  replayId: '7',
  store: StoreName.Consumer,
  status: 'done',
  startedAt: new Date('2026-12-01T11:00:00.000Z'),
  finishedAt: new Date('2026-12-01T11:00:05.000Z'),
  matched: 1,
  erased: 1,
  notFound: 0,
  verifiedRows: 3,
};

/** The listener over fakes: one endpoint of site-a subscribed to every status change. */
function listenerWith() {
  const written: NewWebhookEvent[] = [];
  const replayLookups: unknown[] = [];
  const endpoints = {
    subscriptions: () =>
      Promise.resolve([{ id: '1', siteId: 'site-a', events: ['deletion_request.created', 'deletion_request.done'] }]),
  } as unknown as WebhookEndpointsRepository;
  const deliveries = {
    insertEvents: (_: EntityManager, rows: NewWebhookEvent[]) => {
      written.push(...rows);
      return Promise.resolve(rows.length);
    },
  } as unknown as WebhookDeliveriesRepository;
  const replays = {
    forRequests: (requests: unknown) => {
      replayLookups.push(requests);
      return Promise.resolve(new Map([['41', [replay]]]));
    },
  } as unknown as StoreReplaysRepository;
  const manager = {
    getRepository: (entity: unknown) => ({
      findBy: () => Promise.resolve(entity === DeletionRequestEntity ? [request] : []),
      find: () => Promise.resolve([] as DeletionRequestStoreEntity[]),
    }),
  } as unknown as EntityManager;
  const listener = new WebhookOutboxListener(new TransitionListeners(), endpoints, deliveries, replays);
  return { listener, manager, written, replayLookups };
}

const event = (type: TransitionEvent['type']): TransitionEvent => ({
  type,
  requestId: '41',
  siteId: 'site-a',
  status: RequestStatus.Done,
  actor: 'system:worker',
  details: {},
});

describe(WebhookOutboxListener.name, () => {
  it('writes the GET detail, replays included, as the body of a later event', async () => {
    const { listener, manager, written } = listenerWith();
    await listener.onTransition(manager, [event('done')]);
    expect(written).toHaveLength(1);
    const body = JSON.parse(written[0].body) as { type: string; data: { replays: unknown[]; request_id: number } };
    expect(body.type).toBe('deletion_request.done');
    expect(body.data.request_id).toBe(41);
    expect(body.data.replays).toEqual([
      {
        replay_id: 7,
        store: 'consumer',
        status: 'done',
        started_at: '2026-12-01T11:00:00.000Z',
        finished_at: '2026-12-01T11:00:05.000Z',
        matched: 1,
        erased: 1,
        not_found: 0,
        verified_rows: 3,
      },
    ]);
  });

  it('reads no replays for a create (a request just created has none)', async () => {
    const { listener, manager, written, replayLookups } = listenerWith();
    await listener.onTransition(manager, [event('created')]);
    expect(written).toHaveLength(1);
    expect(replayLookups).toEqual([]);
    expect((JSON.parse(written[0].body) as { data: { replays: unknown[] } }).data.replays).toEqual([]);
  });
});
