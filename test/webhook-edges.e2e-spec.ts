import type { AppConfig } from '#app/config';
import type pg from 'pg';
import { FakeDns } from './support/fake-dns.js';
import { call, type Answer } from './support/http.js';
import { createAccount } from './support/cli-fixtures.js';
import { startApi, waitUntilReady } from './support/ops-apps.js';
import { startApp, stopApp, type AppProcess } from './support/processes.js';
import { databasePool, freshEnvironment, suiteConfig } from './support/test-environment.js';
import { bearer } from './support/tokens.js';
import { waitFor } from './support/wait.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const SITES = { edges: 'wh_edges', other: 'wh_edges_b', old: 'wh_old' };
const DNS_TIMEOUT_MS = 500;
const DELIVERY_TIMEOUT_MS = 2000;
const DAY_MS = 86_400_000;

/** The edges an attacker's review found in status-change webhooks (docs/ARCHITECTURE.md, "Status-change webhooks"). */
describe('status-change webhooks at their edges', () => {
  let config: AppConfig;
  let db: pg.Pool;
  let strictApi: AppProcess;
  let api: AppProcess;
  let worker: AppProcess;
  let strictBase: string;
  let base: string;
  let hooks: string;
  const dns = new FakeDns();
  const receiver = new WebhookReceiver();

  const send = async (site: string, method: string, rest: string, json?: unknown, b = base): Promise<Answer> =>
    call(`${b}/api/account/${site}/personal-data-deletion${rest}`, {
      method,
      headers: { Authorization: await bearer(site) },
      json,
    });
  const register = async (site: string, url: string, b = base) => send(site, 'POST', '/webhooks', { url }, b);

  beforeAll(async () => {
    const servers = await dns.start();
    dns.records.set('hooks.example.com', ['93.184.215.14']);
    dns.records.set('inside.example.com', ['93.184.215.14', '10.1.2.3']);
    config = suiteConfig('webhook-edges', {
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_DNS_SERVERS: servers,
      WEBHOOK_DNS_TIMEOUT_MS: String(DNS_TIMEOUT_MS),
      WEBHOOK_TIMEOUT_MS: String(DELIVERY_TIMEOUT_MS),
      WEBHOOK_DISPATCH_INTERVAL_MS: '200',
      WEBHOOK_REDELIVER_LIMIT: '3',
      WEBHOOK_REDELIVER_WINDOW_SECONDS: '60',
      RECONCILE_INTERVAL_MS: '1000',
    });
    await freshEnvironment(config);
    for (const site of Object.values(SITES)) {
      await createAccount(config, site, { windowSeconds: 0, legacyTicketing: true });
    }
    hooks = await receiver.start();
    db = databasePool(config);
    ({ api, base } = await startApi('webhook-edges-api', config));
    ({ api: strictApi, base: strictBase } = await startApi('webhook-edges-api-strict', config, {
      WEBHOOK_ALLOW_PRIVATE: 'false',
    }));
    worker = startApp('worker', 'webhook-edges-worker', config);
    await waitUntilReady(base, strictBase);
  });

  afterAll(async () => {
    await Promise.all([stopApp(api), stopApp(strictApi), stopApp(worker)]);
    await receiver.stop();
    await dns.stop();
    await db.end();
  });

  describe('registration against a name server', () => {
    afterEach(() => {
      dns.mode = 'answer';
    });

    it('answers 503 with Retry-After, within the DNS deadline, when the name server is silent', async () => {
      dns.mode = 'silent';
      const started = Date.now();
      const answer = await register(SITES.edges, 'https://hooks.example.com/x', strictBase);
      expect(Date.now() - started).toBeLessThan(DNS_TIMEOUT_MS + 1000);
      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.body.message).toBe('the url host could not be resolved in time; retry later');
    });

    it('answers 400 for a name that does not exist, and for one resolving to a private address', async () => {
      expect((await register(SITES.edges, 'https://nowhere.example.com/x', strictBase)).body).toMatchObject({
        statusCode: 400,
        message: 'url host nowhere.example.com does not resolve',
      });
      expect((await register(SITES.edges, 'https://inside.example.com/x', strictBase)).body.message).toBe(
        'url host inside.example.com is refused: it resolves to a private address',
      );
      expect((await register(SITES.edges, 'https://hooks.example.com/x', strictBase)).status).toBe(201);
    });

    it('refuses a port that is not allowed, naming it and the allowed ones', async () => {
      for (const port of ['8443', '22', '6379']) {
        expect((await register(SITES.edges, `https://hooks.example.com:${port}/x`, strictBase)).body).toMatchObject({
          statusCode: 400,
          message: `url port ${port} is not allowed; allowed: 443, 80`,
        });
      }
    });

    it.each([
      ['https://[::127.0.0.1]/x', '::7f00:1 embeds 127.0.0.1, a loopback address'],
      ['https://[::7f00:1]/x', '::7f00:1 embeds 127.0.0.1, a loopback address'],
      ['https://[::ffff:10.0.0.1]/x', '::ffff:a00:1 embeds 10.0.0.1, a private address'],
      ['https://[64:ff9b::a9fe:a9fe]/x', '64:ff9b::a9fe:a9fe embeds 169.254.169.254, a linkLocal address'],
      ['https://[2002:c0a8:101::1]/x', '2002:c0a8:101::1 embeds 192.168.1.1, a private address'],
    ])('refuses %s like the IPv4 address it embeds', async (url, why) => {
      const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
      expect((await register(SITES.edges, url, strictBase)).body).toMatchObject({
        statusCode: 400,
        message: `url host ${host} is refused: ${why}`,
      });
    });
  });

  describe('delivery and redelivery', () => {
    let hook: string;
    let delivery: string;

    it('counts a 2xx status line as delivered though the receiver drips its body past the timeout', async () => {
      receiver.modes.set('/trickle', 'trickle');
      const created = await send(SITES.edges, 'POST', '/webhooks', {
        url: `${hooks}/trickle`,
        events: ['deletion_request.created'],
      });
      expect(created.status).toBe(201);
      hook = created.body.id as string;
      expect((await send(SITES.edges, 'POST', '', { consumer: ['c-trickle'] })).status).toBe(201);
      const [first] = await waitFor('the delivery recorded', async () => {
        const page = (await send(SITES.edges, 'GET', `/webhooks/${hook}/deliveries`)).body as Record<string, unknown>[];
        return page.length > 0 && page[0].status !== 'pending' ? page : undefined;
      });
      expect(first).toMatchObject({ status: 'delivered', attempt: 1, status_code: 200, error: null });
      expect(first.duration_ms as number).toBeLessThan(DELIVERY_TIMEOUT_MS);
      delivery = first.id as string;
    });

    it('limits redeliveries per account with 429 and Retry-After, leaving other accounts alone', async () => {
      const redeliver = (site: string) => send(site, 'POST', `/webhooks/${hook}/deliveries/${delivery}/redeliver`);
      for (let i = 0; i < 3; i++) expect((await redeliver(SITES.edges)).status).toBe(202);
      const refused = await redeliver(SITES.edges);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.body.message).toMatch(/^account wh_edges asked for 3 redeliveries within 60 s; retry in \d+ s$/);
      // Another account's allowance is its own: it gets its usual 404 for an id not its own.
      expect((await redeliver(SITES.other)).status).toBe(404);
    });
  });

  describe('retention', () => {
    it('deletes, in batches, finished deliveries and events past WEBHOOK_RETENTION_DAYS, never pending ones', async () => {
      const hook = (await register(SITES.old, `${hooks}/old`)).body.id as string;
      const old = new Date(Date.now() - 40 * DAY_MS);
      const recent = new Date(Date.now() - 10 * DAY_MS);
      const event = async (at: Date, requestId: number): Promise<string> =>
        (
          await db.query(
            `INSERT INTO webhook_events (site_id, request_id, type, body, created_at)
             VALUES ($1, $2, 'deletion_request.done', '{}', $3) RETURNING id::text`,
            [SITES.old, requestId, at],
          )
        ).rows[0].id;
      const deliveryOf = (eventId: string, status: string, at: Date, requestId: number) =>
        db.query(
          `INSERT INTO webhook_deliveries (event_id, webhook_id, site_id, request_id, status, queued, attempts,
             retry_from, next_attempt_at, last_attempt_at, created_at)
           VALUES ($1, $2, $3, $4, $5::varchar, $5::varchar <> 'pending', 1, now(), now() + interval '1 day', $6, $6)`,
          [eventId, hook, SITES.old, requestId, status, at],
        );
      // 2,500 delivered long ago: more than one batch.
      await db.query(
        `WITH e AS (
           INSERT INTO webhook_events (site_id, request_id, type, body, created_at)
           SELECT $1, 900000000 + g, 'deletion_request.done', '{}', $3 FROM generate_series(1, 2500) g
           RETURNING id, request_id
         )
         INSERT INTO webhook_deliveries (event_id, webhook_id, site_id, request_id, status, queued, attempts,
           last_attempt_at, created_at, delivered_at)
         SELECT e.id, $2, $1, e.request_id, 'delivered', true, 1, $3, $3, $3 FROM e`,
        [SITES.old, hook, old],
      );
      const failedOld = await event(old, 910000001);
      await deliveryOf(failedOld, 'failed', old, 910000001);
      const pendingOld = await event(old, 910000002);
      await deliveryOf(pendingOld, 'pending', old, 910000002);
      const deliveredRecently = await event(recent, 910000003);
      await deliveryOf(deliveredRecently, 'delivered', recent, 910000003);
      await event(old, 910000004); // an event no delivery refers to

      const count = async (sql: string) => Number((await db.query(sql, [SITES.old])).rows[0].n);
      await waitFor('the old rows pruned', async () =>
        (await count(`SELECT count(*) AS n FROM webhook_events WHERE site_id = $1`)) === 2 ? true : undefined,
      );
      const events = await db.query(`SELECT id::text FROM webhook_events WHERE site_id = $1 ORDER BY id`, [SITES.old]);
      expect(events.rows.map((row: { id: string }) => row.id)).toEqual([pendingOld, deliveredRecently]);
      const left = await db.query(
        `SELECT event_id::text, status FROM webhook_deliveries WHERE site_id = $1 ORDER BY event_id`,
        [SITES.old],
      );
      expect(left.rows).toEqual([
        { event_id: pendingOld, status: 'pending' },
        { event_id: deliveredRecently, status: 'delivered' },
      ]);
    });
  });
});
