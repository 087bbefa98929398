import type { AppConfig } from '#app/config';
import type pg from 'pg';
import { createAccount } from './support/cli-fixtures.js';
import { call, type Answer } from './support/http.js';
import { startApi, waitUntilReady } from './support/ops-apps.js';
import { runCli, startApp, stopApp, type AppProcess } from './support/processes.js';
import { databasePool, flushQueues, freshEnvironment, suiteConfig } from './support/test-environment.js';
import { bearer } from './support/tokens.js';
import { waitFor } from './support/wait.js';
import { WebhookReceiver, type Received } from './support/webhook-receiver.js';

const SITES = { inOrder: 'wh_order', cancel: 'wh_cancel', flaky: 'wh_flaky', killed: 'wh_killed', full: 'wh_full' };
const DONE = ['deletion_request.created', 'deletion_request.in_progress', 'deletion_request.done'];

describe('status-change webhooks, signed to the Standard Webhooks specification', () => {
  let config: AppConfig;
  let db: pg.Pool;
  let api: AppProcess;
  let strictApi: AppProcess;
  let worker: AppProcess;
  let base: string;
  let strictBase: string;
  let hooks: string;
  const receiver = new WebhookReceiver();
  const workerEnv = { WORKER_PORT: '0' };

  const root = (site: string, b = base) => `${b}/api/account/${site}/personal-data-deletion`;
  const send = async (site: string, method: string, rest: string, json?: unknown, b = base): Promise<Answer> =>
    call(`${root(site, b)}${rest}`, { method, headers: { Authorization: await bearer(site) }, json });
  const register = async (site: string, path: string, events?: string[]): Promise<string> => {
    const answer = await send(site, 'POST', '/webhooks', { url: `${hooks}${path}`, events });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      url: `${hooks}${path}`,
      enabled: true,
      secret: expect.stringMatching(/^whsec_/),
    });
    receiver.secrets.set(path, answer.body.secret);
    return answer.body.id as string;
  };
  const createRequest = async (site: string): Promise<number> => {
    const answer = await send(site, 'POST', '', { consumer: [`c-${Math.random()}`] });
    expect(answer.status).toBe(201);
    return answer.body.request_id as number;
  };
  const delivered = (path: string, id: number, types: string[]) =>
    waitFor(`${types.join(', ')} of request ${id} at ${path}`, async () => {
      const ok = receiver.of(path, id).filter((r) => r.answered === 'ok');
      return ok.length >= types.length ? ok : undefined;
    });

  beforeAll(async () => {
    config = suiteConfig('webhooks', {
      WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_RETRY_MAX_DELAY_MS: '1000',
      WEBHOOK_DISPATCH_INTERVAL_MS: '200',
      WEBHOOK_TIMEOUT_MS: '3000',
      WEBHOOK_DISABLE_AFTER_HOURS: '0.002',
      RECONCILE_INTERVAL_MS: '1000',
      WORKER_LOCK_DURATION_MS: '2000',
    });
    await freshEnvironment(config);
    for (const [name, site] of Object.entries(SITES)) {
      await createAccount(config, site, { windowSeconds: name === 'cancel' ? 3600 : 0, legacyTicketing: true });
    }
    hooks = await receiver.start();
    db = databasePool(config);
    ({ api, base } = await startApi('webhooks-api', config));
    ({ api: strictApi, base: strictBase } = await startApi('webhooks-api-strict', config, {
      WEBHOOK_ALLOW_PRIVATE: 'false',
    }));
    worker = startApp('worker', 'webhooks-worker', config, workerEnv);
    await waitUntilReady(base, strictBase);
  });

  afterAll(async () => {
    await Promise.all([stopApp(api), stopApp(strictApi), stopApp(worker)]);
    await receiver.stop();
    await db.end();
  });

  it('delivers every event of a request in order, signed, carrying the GET detail with per-store progress', async () => {
    await register(SITES.inOrder, '/order');
    const id = await createRequest(SITES.inOrder);
    const got = await delivered('/order', id, DONE);
    expect(got.map((r) => r.body.type)).toEqual(DONE);
    expect(got.every((r) => r.verified)).toBe(true);
    expect(new Set(got.map((r) => r.id)).size).toBe(3);
    expect(got[2].body.data).toMatchObject({ request_id: id, siteid: SITES.inOrder, status: 'DONE' });
    // The body's data is the GET detail itself, per-store progress included.
    expect(got[2].body.data).toEqual((await send(SITES.inOrder, 'GET', `/${id}`)).body);
    expect(got[2].body.data.stores).toEqual([expect.objectContaining({ store: 'consumer', status: 'done' })]);
    expect(Math.abs(Number(got[0].timestamp) - Date.now() / 1000)).toBeLessThan(120);
  });

  it('delivers created then canceled for a canceled request', async () => {
    await register(SITES.cancel, '/cancel', ['deletion_request.created', 'deletion_request.canceled']);
    const id = await createRequest(SITES.cancel);
    expect((await send(SITES.cancel, 'POST', `/${id}/cancel`)).status).toBe(200);
    const got = await delivered('/cancel', id, ['created', 'canceled']);
    expect(got.map((r) => r.body.type)).toEqual(['deletion_request.created', 'deletion_request.canceled']);
    expect(got.every((r) => r.verified)).toBe(true);
    expect(got[1].body.data).toMatchObject({ status: 'CANCELED', is_canceled: true });
  });

  it('retries with the same webhook-id after 500s and a dropped connection, and a later event waits', async () => {
    receiver.modes.set('/flaky', 'fail');
    await register(SITES.flaky, '/flaky');
    const id = await createRequest(SITES.flaky);
    await waitFor('two failed attempts', async () => (receiver.of('/flaky', id).length >= 2 ? true : undefined));
    receiver.modes.set('/flaky', 'drop');
    await waitFor('a dropped attempt', async () =>
      receiver.of('/flaky', id).some((r) => r.answered === 'drop') ? true : undefined,
    );
    // Redis losing the pending delivery's job: the reconciler adds it again from PostgreSQL.
    await flushQueues(config);
    receiver.modes.set('/flaky', 'ok');
    await delivered('/flaky', id, DONE);
    const all = receiver.of('/flaky', id);
    const firstOk = all.findIndex((r) => r.answered === 'ok');
    expect(firstOk).toBeGreaterThanOrEqual(3);
    expect(new Set(all.slice(0, firstOk + 1).map((r) => r.id)).size).toBe(1);
    expect(all.slice(0, firstOk + 1).every((r) => r.body.type === 'deletion_request.created' && r.verified)).toBe(true);
    const ok = all.filter((r) => r.answered === 'ok').map((r) => r.body.type);
    expect(ok.slice(0, 3)).toEqual(DONE);
  });

  it('delivers again, with the same webhook-id, after the worker was killed mid-delivery', async () => {
    receiver.modes.set('/killed', 'hang');
    await register(SITES.killed, '/killed', ['deletion_request.created']);
    const id = await createRequest(SITES.killed);
    const first = await waitFor('an attempt in flight', async () => receiver.of('/killed', id)[0]);
    worker.child.kill('SIGKILL');
    await worker.exited;
    receiver.modes.set('/killed', 'ok');
    worker = startApp('worker', 'webhooks-worker-2', config, workerEnv);
    const [again] = await delivered('/killed', id, ['created']);
    expect(again.id).toBe(first.id);
    expect(again.verified).toBe(true);
  });

  it('never sends an event of one account to another account', () => {
    const siteOf: Record<string, string> = {
      '/order': SITES.inOrder,
      '/cancel': SITES.cancel,
      '/flaky': SITES.flaky,
      '/killed': SITES.killed,
    };
    expect(receiver.received.length).toBeGreaterThan(10);
    for (const r of receiver.received) expect(r.body.data.siteid).toBe(siteOf[r.path]);
  });

  it('lists deliveries newest first with a Link to the next page, and redelivers one with its webhook-id', async () => {
    const [hook] = (await send(SITES.inOrder, 'GET', '/webhooks')).body as { id: string }[];
    const page = await send(SITES.inOrder, 'GET', `/webhooks/${hook.id}/deliveries?limit=2`);
    expect(page.status).toBe(200);
    expect(page.body.map((d: { event_type: string }) => d.event_type)).toEqual([DONE[2], DONE[1]]);
    expect(page.body[0]).toMatchObject({ status: 'delivered', attempt: 1, status_code: 204, error: null });
    const link = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')![1];
    const next = await call(`${base}${link}`, { headers: { Authorization: await bearer(SITES.inOrder) } });
    expect(next.body.map((d: { event_type: string }) => d.event_type)).toEqual([DONE[0]]);
    expect(next.headers.get('link')).toBeNull();
    const created: { id: string; event_id: string; request_id: number } = next.body[0];
    const before = receiver.of('/order').length;
    const answer = await send(SITES.inOrder, 'POST', `/webhooks/${hook.id}/deliveries/${created.id}/redeliver`);
    expect(answer.status).toBe(202);
    const again: Received = await waitFor('the redelivery', async () => receiver.of('/order')[before]);
    expect(again).toMatchObject({ id: created.event_id, verified: true });
    expect(again.body.type).toBe(DONE[0]);
  });

  it('answers 400 naming the problem for bad URLs and event types, 409 for an eleventh, 404 across accounts', async () => {
    const site = SITES.full;
    const problem = async (json: unknown) => (await send(site, 'POST', '/webhooks', json)).body;
    expect(await problem({ url: 'ftp://hooks.example/x' })).toMatchObject({
      statusCode: 400,
      message: 'url must be an absolute http(s) URL',
    });
    expect(await problem({ url: 'hooks.example/x' })).toMatchObject({ message: 'url must be an absolute http(s) URL' });
    expect((await problem({ url: `${hooks}/${'a'.repeat(2100)}` })).message).toBe(
      'url must be at most 2048 characters',
    );
    expect((await problem({ url: `${hooks}/x`, events: ['deletion_request.exploded'] })).message).toMatch(
      /^unknown event type deletion_request\.exploded/,
    );
    for (let i = 0; i < 10; i++) await register(site, `/full-${i}`);
    const eleventh = await send(site, 'POST', '/webhooks', { url: `${hooks}/full-10` });
    expect(eleventh.status).toBe(409);
    const [mine] = (await send(SITES.inOrder, 'GET', '/webhooks')).body as { id: string }[];
    for (const [method, rest] of [
      ['GET', ''],
      ['DELETE', ''],
      ['GET', '/deliveries'],
    ] as const) {
      expect((await send(site, method, `/webhooks/${mine.id}${rest}`)).status).toBe(404);
    }
    expect((await send(SITES.inOrder, 'GET', `/webhooks/${mine.id}`)).status).toBe(200);
    expect((await send(site, 'GET', '/webhooks/abc')).body.message).toMatch(
      /^webhook_id must be a positive whole number/,
    );
  });

  it('refuses loopback and a host resolving to it when private addresses are not allowed', async () => {
    const refuse = async (url: string) => (await send(SITES.full, 'POST', '/webhooks', { url }, strictBase)).body;
    expect(await refuse('http://127.0.0.1:9/x')).toMatchObject({
      statusCode: 400,
      message: 'url host 127.0.0.1 is refused: 127.0.0.1 is a loopback address',
    });
    expect((await refuse('http://localhost:9/x')).message).toMatch(
      /^url host localhost is refused: it resolves to a loopback address$/,
    );
    expect((await refuse('http://10.0.0.1/x')).message).toMatch(/is a private address$/);
  });

  it('disables an endpoint that keeps failing, visibly in GET /webhooks', async () => {
    receiver.modes.set('/dead', 'fail');
    const hook = await register(SITES.inOrder, '/dead', ['deletion_request.created']);
    await createRequest(SITES.inOrder);
    const listed = await waitFor(
      'the endpoint disabled',
      async () => {
        const all = (await send(SITES.inOrder, 'GET', '/webhooks')).body as { id: string; enabled: boolean }[];
        const mine = all.find((candidate) => candidate.id === hook);
        return mine && !mine.enabled ? mine : undefined;
      },
      40_000,
    );
    expect(listed).toMatchObject({
      enabled: false,
      disabled_reason: expect.stringMatching(/^every delivery failed for/),
    });
  });

  it('lets operators create, list and delete endpoints from the CLI', async () => {
    const site = SITES.cancel;
    const created = JSON.parse(
      await runCli(config, ['webhooks', 'create', '--site-id', site, '--url', `${hooks}/cli`]),
    );
    expect(created).toMatchObject({ url: `${hooks}/cli`, secret: expect.stringMatching(/^whsec_/) });
    const listed = JSON.parse(await runCli(config, ['webhooks', 'list', '--site-id', site])) as { id: string }[];
    expect(listed.map((hook) => hook.id)).toContain(created.id);
    expect(JSON.stringify(listed)).not.toContain('whsec_');
    await runCli(config, ['webhooks', 'delete', '--site-id', site, '--id', created.id]);
    const after = JSON.parse(await runCli(config, ['webhooks', 'list', '--site-id', site])) as { id: string }[];
    expect(after.map((hook) => hook.id)).not.toContain(created.id);
  });
});
