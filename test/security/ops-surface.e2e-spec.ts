import type { AppConfig } from '#app/config';
import { call } from '../support/http.js';
import { launchChromium } from '../support/browser.js';
import { oauthHeader, type ApiKeyCredentials } from '../support/oauth-signer.js';
import { freePort } from '../support/ports.js';
import { runCli, startApp, stopApp, type AppProcess } from '../support/processes.js';
import { accepts, rawRequest, type RawAnswer } from '../support/raw-http.js';
import { flushQueues, freshDatabase, suiteConfig } from '../support/test-environment.js';
import { bearer } from '../support/tokens.js';
import { waitFor } from '../support/wait.js';
import { absoluteForms, DASHBOARD_ACTIONS, dashboardPaths, spellingsOf } from './dashboard-spellings.js';
import { testReceiptKeys } from '../support/receipt-keys.js';

const SITE = 'secops';
const ADMIN = { ADMIN_USER: 'sre', ADMIN_PASSWORD: 'correct-horse-battery-staple' };
const LIMIT = 5;
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
const RIGHT = basic(`${ADMIN.ADMIN_USER}:${ADMIN.ADMIN_PASSWORD}`);
/** Each test that needs its own client takes addresses from its own block of 127.0.0.0/8. */
const address = (block: number, n: number) => `127.0.${block}.${n}`;

/** A refusal: never a 2xx/3xx, never queue data in the body. */
function expectRefused(answer: RawAnswer, what: string): void {
  expect([what, [400, 401, 404].includes(answer.status)]).toEqual([what, true]);
  // Markers of the board's data, page and assets (a 404 may echo the path, so not the path's own words).
  for (const secret of ['"isPaused"', '"counts"', '"jobs"', '"data":', '__UI_CONFIG__', '<svg']) {
    expect([what, answer.body.includes(secret)]).toEqual([what, false]);
  }
}

function expectSecurityHeaders(headers: Record<string, string>, what: string): void {
  expect([what, headers['content-security-policy']]).toEqual([what, expect.stringContaining("frame-ancestors 'none'")]);
  expect([what, headers['x-content-type-options'], headers['referrer-policy']]).toEqual([
    what,
    'nosniff',
    'no-referrer',
  ]);
  expect([what, headers['strict-transport-security']]).toEqual([what, expect.stringMatching(/^max-age=\d+/)]);
  expect([what, headers['x-frame-options'], headers['cross-origin-opener-policy']]).toEqual([
    what,
    'SAMEORIGIN',
    'same-origin',
  ]);
}

describe('security: the public and operations surfaces of the built apps', () => {
  let config: AppConfig;
  let api: AppProcess;
  let worker: AppProcess;
  let ports: { api: number; ops: number; worker: number };
  let jobId: string;

  beforeAll(async () => {
    config = suiteConfig('sec-ops', {
      AUTH_FAILURE_LIMIT: String(LIMIT),
      AUTH_FAILURE_WINDOW_SECONDS: '600',
      LOG_LEVEL: 'info',
    });
    await freshDatabase(config);
    await flushQueues(config);
    await runCli(config, ['accounts', 'create', '--site-id', SITE, '--cancellation-window', '3600']);
    ports = { api: await freePort(), ops: await freePort(), worker: await freePort() };
    // The public listener on every interface (as in a container), the operations listeners on loopback.
    api = startApp('api', 'sec-ops-api', config, {
      HOST: '0.0.0.0',
      // Off loopback the development receipt key is refused, as the development secrets are.
      RECEIPT_SIGNING_KEYS: testReceiptKeys(),
      PORT: String(ports.api),
      OPS_PORT: String(ports.ops),
      ...ADMIN,
    });
    worker = startApp('worker', 'sec-ops-worker', config, {
      WORKER_PORT: String(ports.worker),
      WORKER_QUEUES: 'purge-chat',
    });
    await waitFor('the apps listening', async () =>
      (await accepts(ports.api, '127.0.0.1')) &&
      (await accepts(ports.ops, '127.0.0.1')) &&
      (await accepts(ports.worker, '127.0.0.1'))
        ? true
        : undefined,
    );
    // A request in its window: its delayed job is queue data the dashboard would show.
    const created = await call(`http://127.0.0.1:${ports.api}/api/account/${SITE}/personal-data-deletion`, {
      method: 'POST',
      headers: { Authorization: await bearer(SITE) },
      json: { consumer: ['sec-ops-subject'] },
    });
    expect(created.status).toBe(201);
    jobId = `request-${created.body.request_id}`;
  });

  afterAll(async () => {
    await Promise.all([stopApp(api), stopApp(worker)]);
  });

  it('serves /metrics and the dashboard only on the operations port, which listens on loopback only', async () => {
    for (const path of ['/metrics', '/admin/queues', '/admin/queues/api/queues']) {
      const answer = await rawRequest(ports.api, path, { headers: { Authorization: RIGHT } });
      expect([path, answer.status]).toEqual([path, 404]);
    }
    const metrics = await rawRequest(ports.ops, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('pdd_requests_created_total');
    // 127.0.0.2 is another address of this machine: the public port answers there, the operations ones do not.
    expect(await accepts(ports.api, '127.0.0.2')).toBe(true);
    expect(await accepts(ports.ops, '127.0.0.2')).toBe(false);
    expect(await accepts(ports.worker, '127.0.0.2')).toBe(false);
  });

  it('never lets a spelling of a dashboard path through without credentials, on either port', async () => {
    const targets = dashboardPaths(jobId).flatMap(spellingsOf);
    expect(targets.length).toBeGreaterThan(300);
    for (const port of [ports.ops, ports.api]) {
      for (const target of targets) expectRefused(await rawRequest(port, target), `GET ${target} on ${port}`);
      for (const path of dashboardPaths(jobId)) {
        for (const target of absoluteForms(path, port)) {
          const answer = await rawRequest(port, target, { headers: { Authorization: RIGHT } });
          expectRefused(answer, `absolute-form ${target}`);
          expect([target, answer.status]).toEqual([target, 400]);
        }
      }
    }
  });

  it('never runs a dashboard action without credentials, however it is spelled', async () => {
    for (const [method, path] of DASHBOARD_ACTIONS) {
      for (const target of [...spellingsOf(path), ...absoluteForms(path, ports.ops)]) {
        expectRefused(await rawRequest(ports.ops, target, { method }), `${method} ${target}`);
      }
    }
    const queues = await call(
      `http://127.0.0.1:${ports.ops}/admin/queues/api/queues?activeQueue=deletion-orchestrator&status=delayed`,
      {
        headers: { Authorization: RIGHT },
      },
    );
    const orchestrator = queues.body.queues.find((queue: { name: string }) => queue.name === 'deletion-orchestrator');
    expect(orchestrator.isPaused).toBe(false);
    expect(orchestrator.jobs.map((job: { id: string }) => job.id)).toContain(jobId);
  });

  it('answers 401 to wrong credentials of every length and shape, 200 to the right ones', async () => {
    const wrong = [
      '',
      ':',
      'sre',
      'sre:',
      ':correct-horse-battery-staple',
      'sre:correct-horse-battery-stapl',
      'sre:correct-horse-battery-staplf',
      'sre:correct-horse-battery-staple!',
      'srf:correct-horse-battery-staple',
      'sre:' + 'x'.repeat(ADMIN.ADMIN_PASSWORD.length),
      'x'.repeat(1000),
      `sre:${'x'.repeat(10_000)}`,
    ];
    const headers = [
      ...wrong.map(basic),
      'Basic',
      'Basic !!!not-base64!!!',
      `Bearer ${RIGHT.slice(6)}`,
      RIGHT.slice(6),
    ];
    for (const [i, header] of headers.entries()) {
      const answer = await rawRequest(ports.ops, '/admin/queues/api/queues', {
        headers: { Authorization: header },
        localAddress: address(1, i + 1),
      });
      expect([header.slice(0, 40), answer.status]).toEqual([header.slice(0, 40), 401]);
      expect(JSON.parse(answer.body)).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: expect.any(String),
      });
    }
    const right = await rawRequest(ports.ops, '/admin/queues/api/queues', { headers: { Authorization: RIGHT } });
    expect(right.status).toBe(200);
    expect(right.body).toContain('deletion-orchestrator');
  });

  it('answers 429 with Retry-After after repeated failed logins, even to the right credentials, from that address only', async () => {
    const from = address(2, 1);
    const login = (header: string, localAddress = from) =>
      rawRequest(ports.ops, '/admin/queues', { headers: { Authorization: header }, localAddress });
    for (let i = 0; i < LIMIT; i++) expect((await login(basic(`sre:guess-${i}`))).status).toBe(401);
    for (const header of [basic('sre:guess-again'), RIGHT]) {
      const limited = await login(header);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(limited.body)).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    }
    expect((await login(RIGHT, address(2, 2))).status).toBe(200);
  });

  it('limits failed API authentications per address (401s, then 429 with Retry-After), never counting successes', async () => {
    const quota = `/api/account/${SITE}/personal-data-deletion/quota`;
    const get = async (authorization: string, localAddress: string) =>
      rawRequest(ports.api, quota, { headers: { Authorization: authorization }, localAddress });
    const valid = await bearer(SITE);
    // Successes are not counted: many of them, then still LIMIT failures before a 429.
    const busy = address(3, 1);
    for (let i = 0; i < LIMIT * 3; i++) expect((await get(valid, busy)).status).toBe(200);
    for (let i = 0; i < LIMIT; i++) expect((await get(`Bearer forged.token.${i}`, busy)).status).toBe(401);
    const limited = await get(`Bearer forged.token.more`, busy);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(limited.body)).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(/too many failed authentications/),
    });
    // The limit holds even for a right credential from that address; another address is not affected.
    expect((await get(valid, busy)).status).toBe(429);
    expect((await get(valid, address(3, 2))).status).toBe(200);
    expect((await get('Bearer forged.token.other', address(3, 3))).status).toBe(401);
  });

  it('limits failed API authentications per key across addresses, while other keys keep working', async () => {
    const quota = `/api/account/${SITE}/personal-data-deletion/quota`;
    const oauth = (key: string) =>
      `OAuth oauth_consumer_key="${key}", oauth_token="t", oauth_signature_method="HMAC-SHA256", ` +
      `oauth_timestamp="${Math.floor(Date.now() / 1000)}", oauth_nonce="n${Math.random()}", oauth_version="1.0", oauth_signature="forged"`;
    const get = (authorization: string, localAddress: string) =>
      rawRequest(ports.api, quota, { headers: { Authorization: authorization }, localAddress });
    for (let i = 0; i < LIMIT; i++) expect((await get(oauth('victim-key'), address(4, i + 1))).status).toBe(401);
    const fresh = address(4, 100);
    const limited = await get(oauth('victim-key'), fresh);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(oauth('another-key'), fresh)).status).toBe(401);
    expect((await get(await bearer(SITE), fresh)).status).toBe(200);
  });

  it('lets a rightly signed request through for a key that others pushed over its limit (a consumer key is no secret)', async () => {
    const quota = `/api/account/${SITE}/personal-data-deletion/quota`;
    const key = JSON.parse(
      await runCli(config, ['api-keys', 'create', '--site-id', SITE, '--name', 'crm']),
    ) as ApiKeyCredentials;
    const forged = (encodedKey: string) =>
      `OAuth oauth_consumer_key="${encodedKey}", oauth_token="${key.token}", oauth_signature_method="HMAC-SHA256", ` +
      `oauth_timestamp="${Math.floor(Date.now() / 1000)}", oauth_nonce="n${Math.random()}", oauth_version="1.0", oauth_signature="forged"`;
    const get = (authorization: string, localAddress: string) =>
      rawRequest(ports.api, quota, { headers: { Authorization: authorization }, localAddress });
    // The key spelled percent-encoded is the same key to the counter, as it is to authentication.
    const encoded = [...key.consumer_key].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    for (let i = 0; i < LIMIT; i++) {
      expect((await get(forged(i % 2 ? encoded : key.consumer_key), address(5, i + 1))).status).toBe(401);
    }
    expect((await get(forged(key.consumer_key), address(5, 100))).status).toBe(429);
    const signed = oauthHeader(key, { url: `http://127.0.0.1:${ports.api}${quota}`, method: 'GET' });
    expect((await get(signed, address(5, 101))).status).toBe(200);
  });

  it('sends the security headers on the public, operations and worker listeners', async () => {
    const answers: Array<[string, RawAnswer]> = [
      ['public /health/live', await rawRequest(ports.api, '/health/live')],
      ['public 401', await rawRequest(ports.api, `/api/account/${SITE}/personal-data-deletion`)],
      ['public /docs', await rawRequest(ports.api, '/docs')],
      ['public 400 absolute-form', await rawRequest(ports.api, 'http://x/health/live')],
      ['ops /metrics', await rawRequest(ports.ops, '/metrics')],
      ['ops dashboard 401', await rawRequest(ports.ops, '/admin/queues')],
      ['ops dashboard 200', await rawRequest(ports.ops, '/admin/queues', { headers: { Authorization: RIGHT } })],
      ['worker /health/live', await rawRequest(ports.worker, '/health/live')],
    ];
    // What the routers refuse before any hook runs, and unknown routes: the same headers, the common body.
    const refusals: Array<[string, RawAnswer, number]> = [
      ['public undecodable path', await rawRequest(ports.api, '/%ZZ'), 400],
      ['ops undecodable path', await rawRequest(ports.ops, '/%ZZ'), 400],
      ['worker undecodable path', await rawRequest(ports.worker, '/%ZZ'), 400],
      ['ops unknown route', await rawRequest(ports.ops, '/no-such-route'), 404],
      ['worker unknown route', await rawRequest(ports.worker, '/no-such-route'), 404],
    ];
    for (const [what, answer, status] of refusals) {
      answers.push([what, answer]);
      expect([what, answer.status]).toEqual([what, status]);
      expect([what, Object.keys(JSON.parse(answer.body)).sort()]).toEqual([what, ['error', 'message', 'statusCode']]);
    }
    for (const [what, answer] of answers) expectSecurityHeaders(answer.headers, what);
  });

  it('keeps the API docs UI working in a browser under the security headers', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const refused: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
      });
      await page.goto(`http://127.0.0.1:${ports.api}/docs`);
      await page.getByText('Personal Data Deletion').first().waitFor({ timeout: 15_000 });
      await page.getByText('personal-data-deletion/quota').first().waitFor({ timeout: 15_000 });
      expect(refused).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
