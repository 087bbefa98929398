import { AppConfig } from '#app/config';
import {
  SecretBox,
  WebhookDeliveriesRepository,
  WebhookEndpointsRepository,
  type WebhookDelivery,
  type WebhookEndpoint,
} from '#app/database';
import { ConflictError, DeadlineExceededError, InvalidRequestError, NotFoundError } from '#app/domain';
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { parsePorts, urlProblem, type UrlPolicy } from './address-policy.js';
import { resolveHost, ResolverUnavailableError, type ResolverSettings } from './host-resolver.js';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from './webhook-event-types.js';

/** At most this many endpoints per account. */
export const MAX_WEBHOOKS_PER_ACCOUNT = 10;

/** How long a caller whose registration met a silent name server is asked to wait. */
const DNS_RETRY_AFTER_SECONDS = 5;

/** How endpoint hosts are resolved, at registration and at delivery. */
export function resolverSettingsOf(config: AppConfig): ResolverSettings {
  return { timeoutMs: config.WEBHOOK_DNS_TIMEOUT_MS, servers: config.WEBHOOK_DNS_SERVERS?.split(',') };
}

/** The endpoint URL rules of this deployment (docs/ARCHITECTURE.md, "Status-change webhooks"). */
export function urlPolicyOf(config: AppConfig): UrlPolicy {
  const resolver = resolverSettingsOf(config);
  return {
    production: config.NODE_ENV === 'production',
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
    allowedPorts: parsePorts(config.WEBHOOK_ALLOWED_PORTS),
    resolve: (host) => resolveHost(host, resolver),
  };
}

/** The rules of an account's endpoints, for the API and the CLI. Ids of another account are not found. */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: WebhookDeliveriesRepository,
    private readonly config: AppConfig,
  ) {}

  /** Registers an endpoint; its secret is returned this once and kept sealed (AES-256-GCM). */
  async create(siteId: string, url: string, events?: string[]): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
    const subscribed = events === undefined ? [...WEBHOOK_EVENT_TYPES] : [...new Set(events)];
    const unknown = subscribed.filter((type) => !isWebhookEventType(type));
    if (unknown.length > 0) {
      throw new InvalidRequestError(
        `unknown event type ${unknown.join(', ')}; known: ${WEBHOOK_EVENT_TYPES.join(', ')}`,
      );
    }
    if (subscribed.length === 0) throw new InvalidRequestError('events must name at least one event type');
    const problem = await urlProblem(url, urlPolicyOf(this.config)).catch((error: unknown) => {
      if (!(error instanceof ResolverUnavailableError)) throw error;
      throw new DeadlineExceededError(
        'the url host could not be resolved in time; retry later',
        error.message,
        DNS_RETRY_AFTER_SECONDS,
      );
    });
    if (problem) throw new InvalidRequestError(problem);
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const endpoint = await this.endpoints.create(
      siteId,
      { url, events: subscribed, secretEncrypted: this.box().seal(secret) },
      MAX_WEBHOOKS_PER_ACCOUNT,
    );
    if (!endpoint) {
      throw new ConflictError(`account ${siteId} has ${MAX_WEBHOOKS_PER_ACCOUNT} webhook endpoints; delete one first`);
    }
    return { endpoint, secret };
  }

  list(siteId: string): Promise<WebhookEndpoint[]> {
    return this.endpoints.list(siteId);
  }

  async get(siteId: string, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.find(siteId, id);
    if (!endpoint) throw new NotFoundError(`webhook ${id} does not exist for account ${siteId}`);
    return endpoint;
  }

  async delete(siteId: string, id: string): Promise<void> {
    if (!(await this.endpoints.delete(siteId, id))) {
      throw new NotFoundError(`webhook ${id} does not exist for account ${siteId}`);
    }
  }

  /** A page of an endpoint's deliveries, newest first, and the cursor of the next. */
  async deliveriesOf(
    siteId: string,
    id: string,
    limit: number,
    cursor?: string,
  ): Promise<{ deliveries: WebhookDelivery[]; nextCursor?: string }> {
    await this.get(siteId, id);
    const rows = await this.deliveries.list(siteId, id, cursor, limit + 1);
    const deliveries = rows.slice(0, limit);
    return { deliveries, nextCursor: rows.length > limit ? deliveries[deliveries.length - 1].id : undefined };
  }

  /** Delivers the event again (a new round with a new retry window; the same `webhook-id`). */
  async redeliver(siteId: string, id: string, deliveryId: string): Promise<WebhookDelivery> {
    const delivery = await this.deliveries.redeliver(siteId, id, deliveryId);
    if (!delivery) throw new NotFoundError(`delivery ${deliveryId} of webhook ${id} does not exist`);
    return delivery;
  }

  /** Opens a sealed endpoint secret (for the deliverer). */
  openSecret(sealed: string): string {
    return this.box().open(sealed);
  }

  private box(): SecretBox {
    if (!this.config.API_KEY_ENCRYPTION_KEY) throw new Error('API_KEY_ENCRYPTION_KEY is not configured');
    return new SecretBox(this.config.API_KEY_ENCRYPTION_KEY);
  }
}
