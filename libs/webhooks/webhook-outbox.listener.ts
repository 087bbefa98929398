import {
  DeletionRequestEntity,
  DeletionRequestStoreEntity,
  StoreReplaysRepository,
  toDetail,
  WebhookDeliveriesRepository,
  WebhookEndpointsRepository,
  type NewWebhookEvent,
} from '#app/database';
import { TransitionListeners, type TransitionEvent, type TransitionListener } from '#app/lifecycle';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { EVENT_TYPE_OF } from './webhook-event-types.js';

/**
 * Writes the webhook events of a transition in its transaction (the outbox: a crash cannot lose one), with one
 * delivery per subscribed endpoint. Per call (a transition, or a whole create batch): one indexed look-up of the
 * accounts' endpoints; only when some account subscribed, reads of the requests, their stores and (but for
 * `created`) their replays, and one INSERT. The body's `data` is the GET detail.
 */
@Injectable()
export class WebhookOutboxListener implements TransitionListener, OnModuleInit {
  constructor(
    private readonly listeners: TransitionListeners,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly replays: StoreReplaysRepository,
  ) {}

  onModuleInit(): void {
    this.listeners.add(this);
  }

  async onTransition(manager: EntityManager, all: readonly TransitionEvent[]): Promise<void> {
    // Only status changes have a webhook type: no query at all for the others.
    const events = all.filter((event) => EVENT_TYPE_OF[event.type] !== undefined);
    if (events.length === 0) return;
    const subscriptions = await this.endpoints.subscriptions(manager, [...new Set(events.map((e) => e.siteId))]);
    if (subscriptions.length === 0) return;
    const wanted = events.filter((event) =>
      subscriptions.some((s) => s.siteId === event.siteId && s.events.includes(EVENT_TYPE_OF[event.type]!)),
    );
    if (wanted.length === 0) return;
    const ids = [...new Set(wanted.map((event) => event.requestId))];
    const requests = await manager.getRepository(DeletionRequestEntity).findBy({ id: In(ids) });
    const stores = await manager
      .getRepository(DeletionRequestStoreEntity)
      .find({ where: { requestId: In(ids) }, order: { store: 'ASC' } });
    // A request just created has no replays: the create path reads none.
    const later = wanted.filter((event) => event.type !== 'created');
    const replays = later.length > 0 ? await this.replays.forRequests(later, manager) : new Map<string, never[]>();
    const now = new Date();
    const rows: NewWebhookEvent[] = [];
    for (const event of wanted) {
      const request = requests.find((candidate) => candidate.id === event.requestId);
      if (!request) continue;
      const data = toDetail(
        request,
        stores.filter((store) => store.requestId === event.requestId),
        replays.get(event.requestId),
      );
      const type = EVENT_TYPE_OF[event.type]!;
      const body = JSON.stringify({ type, timestamp: now.toISOString(), data });
      rows.push({ siteId: event.siteId, requestId: event.requestId, type, body, createdAt: now });
    }
    if (rows.length > 0) await this.deliveries.insertEvents(manager, rows);
  }
}
