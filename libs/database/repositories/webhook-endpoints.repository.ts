import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** A registered endpoint, without its secret. */
export interface WebhookEndpoint {
  id: string;
  siteId: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: Date | null;
  failingSince: Date | null;
  createdAt: Date;
}

/** What the outbox needs of an endpoint. */
export interface Subscription {
  id: string;
  siteId: string;
  events: string[];
}

const COLUMNS = `id, site_id, url, events, enabled, disabled_reason, disabled_at, failing_since, created_at`;

function toEndpoint(row: Record<string, unknown>): WebhookEndpoint {
  return {
    id: String(row.id),
    siteId: row.site_id as string,
    url: row.url as string,
    events: row.events as string[],
    enabled: row.enabled as boolean,
    disabledReason: row.disabled_reason as string | null,
    disabledAt: row.disabled_at as Date | null,
    failingSince: row.failing_since as Date | null,
    createdAt: row.created_at as Date,
  };
}

/** Webhook endpoints of the accounts; every read and write takes the caller's account with the id. */
@Injectable()
export class WebhookEndpointsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds an endpoint unless the account has `max` already (null then); the account row serialises the count. */
  create(
    siteId: string,
    endpoint: { url: string; events: string[]; secretEncrypted: string },
    max: number,
  ): Promise<WebhookEndpoint | null> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM accounts WHERE site_id = $1 FOR UPDATE`, [siteId]);
      const rows: Record<string, unknown>[] = await manager.query(
        `INSERT INTO webhook_endpoints (site_id, url, events, secret_encrypted)
         SELECT $1::varchar, $2::varchar, $3::text[], $4::text
         WHERE (SELECT count(*) FROM webhook_endpoints WHERE site_id = $1::varchar) < $5::int
         RETURNING ${COLUMNS}`,
        [siteId, endpoint.url, endpoint.events, endpoint.secretEncrypted, max],
      );
      return rows[0] ? toEndpoint(rows[0]) : null;
    });
  }

  async list(siteId: string): Promise<WebhookEndpoint[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM webhook_endpoints WHERE site_id = $1 ORDER BY id`,
      [siteId],
    );
    return rows.map(toEndpoint);
  }

  async find(siteId: string, id: string): Promise<WebhookEndpoint | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM webhook_endpoints WHERE site_id = $1 AND id = $2`,
      [siteId, id],
    );
    return rows[0] ? toEndpoint(rows[0]) : null;
  }

  /** Deletes the endpoint and its deliveries; false when the account has no such endpoint. */
  async delete(siteId: string, id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH gone AS (DELETE FROM webhook_endpoints WHERE site_id = $1 AND id = $2 RETURNING 1) SELECT * FROM gone`,
      [siteId, id],
    );
    return rows.length > 0;
  }

  /** The enabled endpoints of these accounts, in the caller's transaction: the outbox's one look-up per batch. */
  async subscriptions(manager: EntityManager, siteIds: string[]): Promise<Subscription[]> {
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT id, site_id, events FROM webhook_endpoints WHERE site_id = ANY($1) AND enabled`,
      [siteIds],
    );
    return rows.map((row) => ({ id: String(row.id), siteId: row.site_id as string, events: row.events as string[] }));
  }

  /** A success: the endpoint is no longer failing. */
  async markHealthy(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`,
      [id],
    );
  }

  /**
   * A failed attempt: the endpoint fails since its first failure after a success; past `disableAfterMs` of that
   * it is disabled with `reason`. True when this call disabled it.
   */
  async markFailing(id: string, now: Date, disableAfterMs: number, reason: string): Promise<boolean> {
    const rows: { disabled: boolean }[] = await this.dataSource.query(
      `WITH endpoint AS (
         SELECT id, enabled, coalesce(failing_since, $2::timestamptz) AS since FROM webhook_endpoints WHERE id = $1
       ), judged AS (
         SELECT id, since, enabled AND since <= $2::timestamptz - make_interval(secs => $3::float8 / 1000) AS disable
         FROM endpoint
       )
       UPDATE webhook_endpoints w
       SET failing_since = judged.since,
           enabled = w.enabled AND NOT judged.disable,
           disabled_at = CASE WHEN judged.disable THEN $2::timestamptz ELSE w.disabled_at END,
           disabled_reason = CASE WHEN judged.disable THEN $4::text ELSE w.disabled_reason END
       FROM judged WHERE w.id = judged.id
       RETURNING judged.disable AS disabled`,
      [id, now, disableAfterMs, reason],
    );
    return rows[0]?.disabled === true;
  }
}
