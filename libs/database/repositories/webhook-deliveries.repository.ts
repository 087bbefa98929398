import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** An event to write, with its body already serialised. */
export interface NewWebhookEvent {
  siteId: string;
  requestId: string;
  type: string;
  body: string;
  createdAt: Date;
}

/** A delivery as its endpoint's owner lists it. */
export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  webhookId: string;
  requestId: string;
  status: 'pending' | 'delivered' | 'failed';
  round: number;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  createdAt: Date;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
}

/** What one attempt needs: the delivery, its event's body and its endpoint (secret still sealed). */
export interface DeliveryToAttempt extends WebhookDelivery {
  siteId: string;
  body: string;
  url: string;
  secretEncrypted: string;
  enabled: boolean;
  retryFrom: Date;
}

/** A delivery's job coordinates. */
export interface QueuedDelivery {
  id: string;
  round: number;
  requestId: string;
  siteId: string;
}

export interface AttemptOutcome {
  status: 'pending' | 'delivered' | 'failed';
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  excerpt: string | null;
  at: Date;
  nextAttemptAt: Date;
}

const LISTED = `d.id, d.event_id, e.type, d.webhook_id, d.request_id, d.status, d.round, d.attempts, d.last_status_code,
  d.last_error, d.last_duration_ms, d.created_at, d.last_attempt_at, d.next_attempt_at, d.delivered_at`;

function toDelivery(row: Record<string, unknown>): WebhookDelivery {
  return {
    id: String(row.id),
    eventId: String(row.event_id),
    eventType: row.type as string,
    webhookId: String(row.webhook_id),
    requestId: String(row.request_id),
    status: row.status as WebhookDelivery['status'],
    round: row.round as number,
    attempts: row.attempts as number,
    lastStatusCode: row.last_status_code as number | null,
    lastError: row.last_error as string | null,
    lastDurationMs: row.last_duration_ms as number | null,
    createdAt: row.created_at as Date,
    lastAttemptAt: row.last_attempt_at as Date | null,
    nextAttemptAt: row.status === 'pending' ? (row.next_attempt_at as Date) : null,
    deliveredAt: row.delivered_at as Date | null,
  };
}

const queued = (row: Record<string, unknown>): QueuedDelivery => ({
  id: String(row.id),
  round: row.round as number,
  requestId: String(row.request_id),
  siteId: row.site_id as string,
});

/** The webhook outbox (events) and its deliveries (docs/ARCHITECTURE.md, "Status-change webhooks"). */
@Injectable()
export class WebhookDeliveriesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One statement for a batch of events: each event, and a delivery to every enabled endpoint of its account
   * subscribed to its type, in the caller's transaction. Returns the deliveries written.
   */
  async insertEvents(manager: EntityManager, events: readonly NewWebhookEvent[]): Promise<number> {
    const rows: unknown[] = await manager.query(
      `WITH event AS (
         INSERT INTO webhook_events (site_id, request_id, type, body, created_at)
         SELECT * FROM unnest($1::varchar[], $2::bigint[], $3::varchar[], $4::text[], $5::timestamptz[])
         RETURNING id, site_id, request_id, type
       )
       INSERT INTO webhook_deliveries (event_id, webhook_id, site_id, request_id)
       SELECT event.id, endpoint.id, event.site_id, event.request_id
       FROM event JOIN webhook_endpoints endpoint
         ON endpoint.site_id = event.site_id AND endpoint.enabled AND event.type = ANY (endpoint.events)
       ORDER BY event.id, endpoint.id
       RETURNING 1`,
      [
        events.map((event) => event.siteId),
        events.map((event) => event.requestId),
        events.map((event) => event.type),
        events.map((event) => event.body),
        events.map((event) => event.createdAt),
      ],
    );
    return rows.length;
  }

  /** Deliveries not yet handed to the queue, oldest first. */
  async unqueued(limit: number): Promise<QueuedDelivery[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, round, request_id, site_id FROM webhook_deliveries WHERE NOT queued ORDER BY id LIMIT $1`,
      [limit],
    );
    return rows.map(queued);
  }

  /** Marks deliveries queued, each only if still in the round whose job was added. */
  async markQueued(deliveries: readonly QueuedDelivery[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries d SET queued = true
       FROM unnest($1::bigint[], $2::int[]) AS u (id, round) WHERE d.id = u.id AND d.round = u.round`,
      [deliveries.map((delivery) => delivery.id), deliveries.map((delivery) => delivery.round)],
    );
  }

  /** Pending deliveries already queued, a page at a time: the reconciler checks their jobs exist. */
  async pendingQueued(afterId: string, limit: number): Promise<QueuedDelivery[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, round, request_id, site_id FROM webhook_deliveries
       WHERE status = 'pending' AND queued AND id > $1 ORDER BY id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(queued);
  }

  async forAttempt(id: string): Promise<DeliveryToAttempt | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${LISTED}, d.site_id, d.retry_from, e.body, w.url, w.secret_encrypted, w.enabled
       FROM webhook_deliveries d
       JOIN webhook_events e ON e.id = d.event_id
       JOIN webhook_endpoints w ON w.id = d.webhook_id
       WHERE d.id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      ...toDelivery(row),
      siteId: row.site_id as string,
      body: row.body as string,
      url: row.url as string,
      secretEncrypted: row.secret_encrypted as string,
      enabled: row.enabled as boolean,
      retryFrom: row.retry_from as Date,
    };
  }

  /** When the earliest still pending earlier event of the same request to the same endpoint is next tried. */
  async earlierPending(delivery: WebhookDelivery): Promise<Date | null> {
    const rows: { next_attempt_at: Date }[] = await this.dataSource.query(
      `SELECT next_attempt_at FROM webhook_deliveries
       WHERE webhook_id = $1 AND request_id = $2 AND event_id < $3 AND status = 'pending'
       ORDER BY event_id LIMIT 1`,
      [delivery.webhookId, delivery.requestId, delivery.eventId],
    );
    return rows[0]?.next_attempt_at ?? null;
  }

  /** The next pending event of the same request to the same endpoint, which waits for this one. */
  async nextPending(delivery: WebhookDelivery): Promise<QueuedDelivery | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, round, request_id, site_id FROM webhook_deliveries
       WHERE webhook_id = $1 AND request_id = $2 AND event_id > $3 AND status = 'pending'
       ORDER BY event_id LIMIT 1`,
      [delivery.webhookId, delivery.requestId, delivery.eventId],
    );
    return rows[0] ? queued(rows[0]) : null;
  }

  /** Records an attempt of `round`; false when the delivery moved on meanwhile (redelivered, deleted). */
  async recordAttempt(id: string, round: number, outcome: AttemptOutcome): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE webhook_deliveries
       SET status = $3::varchar, attempts = attempts + 1, last_status_code = $4::int, last_error = $5::text,
           last_duration_ms = $6::int, response_excerpt = $7::text, last_attempt_at = $8::timestamptz,
           next_attempt_at = $9::timestamptz,
           delivered_at = CASE WHEN $3::varchar = 'delivered' THEN $8::timestamptz ELSE delivered_at END
       WHERE id = $1::bigint AND round = $2::int AND status = 'pending'
       RETURNING 1`,
      [
        id,
        round,
        outcome.status,
        outcome.statusCode,
        storable(outcome.error),
        outcome.durationMs,
        storable(outcome.excerpt),
        outcome.at,
        outcome.nextAttemptAt,
      ],
    );
    return rows.length > 0;
  }

  /** Gives up every pending delivery of a disabled endpoint. */
  async failPendingOf(webhookId: string, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'failed', last_error = $2::text WHERE webhook_id = $1 AND status = 'pending'`,
      [webhookId, reason],
    );
  }

  /** An endpoint's deliveries, newest first, before `beforeId`; the caller's account in the statement. */
  async list(
    siteId: string,
    webhookId: string,
    beforeId: string | undefined,
    limit: number,
  ): Promise<WebhookDelivery[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${LISTED} FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
       WHERE d.site_id = $1 AND d.webhook_id = $2 AND ($3::bigint IS NULL OR d.id < $3::bigint)
       ORDER BY d.id DESC LIMIT $4`,
      [siteId, webhookId, beforeId ?? null, limit],
    );
    return rows.map(toDelivery);
  }

  /** Starts a new round of a delivery (a new job, a new retry window); null when the account has no such one. */
  async redeliver(siteId: string, webhookId: string, id: string): Promise<WebhookDelivery | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `WITH d AS (
         UPDATE webhook_deliveries
         SET status = 'pending', round = round + 1, queued = false, retry_from = now(), next_attempt_at = now(),
             delivered_at = NULL
         WHERE site_id = $1 AND webhook_id = $2 AND id = $3
         RETURNING *
       )
       SELECT ${LISTED} FROM d JOIN webhook_events e ON e.id = d.event_id`,
      [siteId, webhookId, id],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }
}

/**
 * A receiver's text (an error, an excerpt of its answer) as PostgreSQL can store it: a text holds no U+0000, and
 * a receiver answering one must not leave its delivery pending for ever (docs/ARCHITECTURE.md, "Status-change
 * webhooks").
 */
function storable(text: string | null): string | null {
  return text === null ? null : text.replaceAll('\u0000', '\ufffd');
}
