import type { AppConfig } from '#app/config';
import { SignJWT } from 'jose';
import { call, type Answer } from '../support/http.js';
import { oauthHeader, type ApiKeyCredentials } from '../support/oauth-signer.js';
import { freePort } from '../support/ports.js';
import { runCli, startApp, stopApp, type AppProcess } from '../support/processes.js';
import { rawHttp, sendRaw } from '../support/raw-http.js';
import { flushQueues, freshDatabase, suiteConfig, TEST_JWT_SECRET } from '../support/test-environment.js';
import { bearer } from '../support/tokens.js';
import { waitFor } from '../support/wait.js';

const SITE = '20762324';
const PATH = `/api/account/${SITE}/personal-data-deletion`;
const GENERIC_401 = 'the OAuth credentials or signature are invalid';
const now = () => Math.floor(Date.now() / 1000);

/** An HS256 token with exactly these claims, signed with the suite's secret: it reaches the claim checks. */
function token(overrides: Record<string, unknown>): Promise<string> {
  const claims = { sub: 'Mike', site_ids: [SITE], permissions: ['read', 'write'], iat: now(), exp: now() + 600 };
  return new SignJWT({ ...claims, ...overrides })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

function expectError(answer: { status: number; body: unknown }, status: number, message: RegExp | string): void {
  expect(answer.status).toBe(status);
  const body = typeof answer.body === 'string' ? JSON.parse(answer.body) : answer.body;
  expect(body).toEqual({ statusCode: status, error: expect.any(String), message: expect.stringMatching(message) });
}

describe('attacks on the input and the credentials of the built API', () => {
  let config: AppConfig;
  const apps: AppProcess[] = [];
  /** Ports of the API as configured by default, with TRUST_PROXY=true, and with PUBLIC_BASE_URL. */
  const port = { plain: 0, proxied: 0, public: 0 };
  let key: ApiKeyCredentials;
  let revoked: ApiKeyCredentials;

  const create = async (body: string, authorization?: string): Promise<Answer> =>
    call(`http://127.0.0.1:${port.plain}${PATH}`, {
      method: 'POST',
      headers: { Authorization: authorization ?? (await bearer(SITE)), 'Content-Type': 'application/json' },
      body,
    });

  /** A signed GET of the quota sent with these headers; `signedUrl` is what the client believes it calls. */
  const signedGet = (at: number, signedUrl: string, headers: [string, string][], signer = key) =>
    sendRaw(
      at,
      rawHttp('GET', `${PATH}/quota`, [
        ...headers,
        ['Authorization', oauthHeader(signer, { url: signedUrl, method: 'GET' })],
      ]),
    );

  beforeAll(async () => {
    config = suiteConfig('sec-input');
    await freshDatabase(config);
    await flushQueues(config);
    await runCli(config, ['accounts', 'create', '--site-id', SITE, '--monthly-quota', '1000']);
    const newKey = async (name: string) =>
      JSON.parse(await runCli(config, ['api-keys', 'create', '--site-id', SITE, '--name', name])) as ApiKeyCredentials;
    key = await newKey('backoffice');
    revoked = await newKey('retired');
    await runCli(config, ['api-keys', 'revoke', '--consumer-key', revoked.consumer_key]);
    const settings = {
      plain: {},
      proxied: { TRUST_PROXY: 'true' },
      public: { PUBLIC_BASE_URL: 'https://pdd.example.com/base' },
    };
    for (const [name, overrides] of Object.entries(settings) as [keyof typeof port, Record<string, string>][]) {
      port[name] = await freePort();
      apps.push(startApp('api', `sec-input-${name}`, config, { ...overrides, PORT: String(port[name]) }));
    }
    await waitFor('the three APIs', async () => {
      const answers = await Promise.all(
        Object.values(port).map((p) => call(`http://127.0.0.1:${p}/health/live`).catch(() => undefined)),
      );
      return answers.every((answer) => answer?.status === 200) ? true : undefined;
    });
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => stopApp(app)));
  });

  describe('bodies', () => {
    it.each([
      ['arrays 5,000 deep', `{"engagement":${'['.repeat(5000)}${']'.repeat(5000)}}`],
      ['objects 5,000 deep', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`],
      ['arrays 30,000 deep, unclosed', '['.repeat(30_000)],
      ['33 levels', `{"engagement":${'['.repeat(32)}${']'.repeat(32)}}`],
    ])('refuses a body nested %s with 400 before anything recursive runs', async (_, body) => {
      expectError(await create(body), 400, 'the request body is nested too deep: at most 32 levels');
    });

    it('hands a body nested 32 levels to the validators', async () => {
      expectError(await create(`{"engagement":${'['.repeat(31)}${']'.repeat(31)}}`), 400, /engagement\[0\]/);
    });

    it.each([
      ['a 2,000-character string', JSON.stringify({ consumer: ['x'.repeat(2000)] }), /string longer than 1024/],
      ['an array of 1,001 ids', JSON.stringify({ consumer: new Array(1001).fill('x') }), /more than 1000 items/],
      ['a 40-digit number', `{"consumer":[${'9'.repeat(40)}]}`, /number longer than 32/],
      ['a number past a double', '{"consumer":[1e400]}', /number too large/],
      ['a __proto__ key', '{"consumer":["a"],"__proto__":{"isAdmin":true}}', /must not hold the key "__proto__"/],
      ['a nested constructor key', '{"consumer":[{"constructor":{"prototype":1}}]}', /key "(constructor|prototype)"/],
      ['a toString key', '{"consumer":["a"],"toString":1}', /must not hold the key "toString"/],
      ['an id holding NUL (PostgreSQL cannot store it)', '{"consumer":["a\\u0000b"]}', /must not contain control/],
      ['an id holding a lone surrogate', '{"conversation":["\\ud800"]}', /unpaired surrogates/],
    ])('refuses %s with 400', async (_, body, message) => {
      expectError(await create(body), 400, message);
    });

    it('refuses bytes that are not UTF-8 with 400, rather than storing U+FFFD in an id', async () => {
      const bytes = Buffer.concat([Buffer.from('{"consumer":["a'), Buffer.from([0xff, 0xfe]), Buffer.from('"]}')]);
      const answer = await call(`http://127.0.0.1:${port.plain}${PATH}`, {
        method: 'POST',
        headers: { Authorization: await bearer(SITE), 'Content-Type': 'application/json' },
        body: bytes,
      });
      expectError(answer, 400, /not valid UTF-8/);
    });
  });

  describe('bearer token claims', () => {
    it.each<[string, Record<string, unknown>, RegExp]>([
      ['sub null', { sub: null }, /claim sub must be a string of 1 to 255 characters/],
      ['sub of 256 characters', { sub: 'x'.repeat(256) }, /claim sub must be a string of 1 to 255/],
      ['sub a number', { sub: 42 }, /claim sub/],
      ['sub an object', { sub: { name: 'Mike' } }, /claim sub/],
      ['sub holding NUL', { sub: 'Mi\u0000ke' }, /claim sub must not contain control characters/],
      ['no sub', { sub: undefined }, /claim sub/],
      ['site_ids a string', { site_ids: SITE }, /claim site_ids must be an array/],
      ['site_ids holding a number', { site_ids: [20762324] }, /claim site_ids/],
      ['site_ids of 1,001 entries', { site_ids: Array.from({ length: 1001 }, (_, i) => `${i}`) }, /claim site_ids/],
      ['permissions a string', { permissions: 'write' }, /claim permissions/],
      ['permissions holding null', { permissions: [null] }, /claim permissions/],
      ['iat a string', { iat: 'yesterday' }, /claim iat/],
      ['exp a string', { exp: String(now() + 600) }, /claim exp/],
      ['exp an object', { exp: { at: 1 } }, /claim exp/],
      ['nbf an array', { nbf: [1] }, /claim nbf/],
      ['no exp', { exp: undefined }, /claim exp/],
    ])('answers a token with %s 401', async (_, claims, message) => {
      const answer = await create('{"consumer":["a"]}', `Bearer ${await token(claims)}`);
      expectError(answer, 401, message);
      expect(answer.headers.get('www-authenticate')).toMatch(/Bearer/);
    });

    it('records a sub of exactly 255 characters', async () => {
      const answer = await create('{"consumer":["long-sub"]}', `Bearer ${await token({ sub: 's'.repeat(255) })}`);
      expect(answer.status).toBe(201);
      expect(answer.body.requested_by).toBe('s'.repeat(255));
    });
  });

  describe('OAuth 1.0a', () => {
    const local = () => `http://127.0.0.1:${port.plain}${PATH}/quota`;
    const host = (): [string, string] => ['Host', `127.0.0.1:${port.plain}`];

    it('answers one message for an unknown key, a revoked key, a wrong token and a wrong signature', async () => {
      const answers = await Promise.all([
        signedGet(port.plain, local(), [host()], { ...key, consumer_key: 'no-such-key' }),
        signedGet(port.plain, local(), [host()], revoked),
        signedGet(port.plain, local(), [host()], { ...key, token: 'another-token' }),
        signedGet(port.plain, local(), [host()], { ...key, consumer_secret: 'wrong' }),
      ]);
      for (const answer of answers) expectError(answer, 401, `^${GENERIC_401}$`);
      expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
      expect((await signedGet(port.plain, local(), [host()])).status).toBe(200);
    });

    it('checks the timestamp before looking the key up', async () => {
      const stale = oauthHeader({ ...key, consumer_key: 'unknown' }, { url: local(), method: 'GET' }, { timestamp: 1 });
      const answer = await sendRaw(port.plain, rawHttp('GET', `${PATH}/quota`, [host(), ['Authorization', stale]]));
      expectError(answer, 401, /^oauth_timestamp must be within 300 s of the server time$/);
    });

    it.each(['a b', 'exa mple.com', '[::1', 'x:99999', 'a/b', 'user@host', '..', 'bücher.example', '%00', ''])(
      'answers a Host of %j 400, never 500',
      async (bad) => {
        const answer = await signedGet(port.plain, local(), [['Host', bad]]);
        expectError(answer, 400, /Host header must be a host name or address/);
      },
    );

    it('answers a path that does not percent-decode 400 in the common body', async () => {
      const answer = await sendRaw(port.plain, rawHttp('GET', '/api/account/%ZZ/personal-data-deletion', [host()]));
      expectError(answer, 400, /not a valid url component/);
    });

    it('refuses an absolute-form request target for a signed request', async () => {
      const target = `http://127.0.0.1:${port.plain}${PATH}/quota`;
      const header = oauthHeader(key, { url: target, method: 'GET' });
      const answer = await sendRaw(port.plain, rawHttp('GET', target, [host(), ['Authorization', header]]));
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    });

    it('signs over the Host sent, and ignores forwarded headers unless TRUST_PROXY', async () => {
      const signed = `http://pdd.example.com${PATH}/quota`;
      expect((await signedGet(port.plain, signed, [['Host', 'pdd.example.com']])).status).toBe(200);
      const forwarded: [string, string][] = [
        host(),
        ['X-Forwarded-Proto', 'https'],
        ['X-Forwarded-Host', 'pdd.example.com'],
      ];
      expectError(await signedGet(port.plain, `https://pdd.example.com${PATH}/quota`, forwarded), 401, GENERIC_401);
    });

    it('signs over the forwarded protocol and host when TRUST_PROXY=true', async () => {
      const forwarded: [string, string][] = [
        ['Host', `127.0.0.1:${port.proxied}`],
        ['X-Forwarded-Proto', 'https'],
        ['X-Forwarded-Host', 'spoofed.example, pdd.example.com'],
      ];
      expect((await signedGet(port.proxied, `https://pdd.example.com${PATH}/quota`, forwarded)).status).toBe(200);
      const direct = `http://127.0.0.1:${port.proxied}${PATH}/quota`;
      expectError(await signedGet(port.proxied, direct, forwarded), 401, GENERIC_401);
      const gopher: [string, string][] = [
        ['Host', 'pdd.example.com'],
        ['X-Forwarded-Proto', 'gopher'],
      ];
      expectError(
        await signedGet(port.proxied, `http://pdd.example.com${PATH}/quota`, gopher),
        400,
        /X-Forwarded-Proto/,
      );
    });

    it('signs over PUBLIC_BASE_URL when it is set, whatever the Host and forwarded headers say', async () => {
      const headers: [string, string][] = [
        ['Host', `127.0.0.1:${port.public}`],
        ['X-Forwarded-Host', 'evil.example'],
      ];
      const published = `https://pdd.example.com/base${PATH}/quota`;
      expect((await signedGet(port.public, published, headers)).status).toBe(200);
      const direct = `http://127.0.0.1:${port.public}${PATH}/quota`;
      expectError(await signedGet(port.public, direct, headers), 401, GENERIC_401);
      expect((await signedGet(port.public, published, [['Host', 'a b']])).status).toBe(200);
    });
  });

  describe('query strings of the list', () => {
    const list = async (query: string) =>
      call(`http://127.0.0.1:${port.plain}${PATH}?${query}`, { headers: { Authorization: await bearer(SITE) } });

    it.each([
      ['status=DONE&status=FAILED', 'status=DONE&status=FAILED', /query parameter "status" must be given once/],
      ['limit=1&limit=2', 'limit=1&limit=2', /query parameter "limit" must be given once/],
      ['status[]=DONE', 'status[]=DONE', /unknown key "status\[\]"/],
      ['__proto__=1', '__proto__=1', /unknown key "__proto__"/],
      ['constructor=1', 'constructor=1', /unknown key "constructor"/],
      ['toString=1', 'toString=1', /unknown key "toString"/],
      [
        'a 300-character cursor',
        `cursor=${'9'.repeat(300)}`,
        /query parameter "cursor" must be at most 256 characters/,
      ],
      ['17 parameters', Array.from({ length: 17 }, (_, i) => `p${i}=1`).join('&'), /at most 16 parameters/],
      ['a hexadecimal limit', 'limit=0x10', /limit must be a whole number/],
      ['a limit in exponent form', 'limit=1e2', /limit must be a whole number/],
      ['limit=1e400', 'limit=1e400', /limit must be a whole number/],
    ])('answers %s with 400', async (_, query, message) => {
      expectError(await list(query), 400, message);
    });

    it('still lists with single-valued filters', async () => {
      expect((await list('status=NOT_STARTED&limit=5')).status).toBe(200);
    });
  });
});
