import type { AppConfig } from '#app/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash, createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { createTestApi, startTestApi } from './support/api.js';
import { call, listen, type Answer } from './support/http.js';
import { runCli } from './support/processes.js';
import { suiteConfig } from './support/test-environment.js';

const SITE = 'oauth_site';
const OTHER_SITE = 'other_site';

interface Credentials {
  consumer_key: string;
  consumer_secret: string;
  token: string;
  token_secret: string;
}

type Method = 'HMAC-SHA1' | 'HMAC-SHA256';

/** Signs with the `oauth-1.0a` package: someone else's reading of RFC 5849. */
function authorization(
  key: Credentials,
  method: Method,
  request: { url: string; method: string; body?: string },
  options: { bodyHash?: boolean; timestamp?: number; nonce?: string } = {},
): string {
  const algorithm = method === 'HMAC-SHA1' ? 'sha1' : 'sha256';
  const oauth = new OAuth({
    consumer: { key: key.consumer_key, secret: key.consumer_secret },
    signature_method: method,
    hash_function: (base, signingKey) => createHmac(algorithm, signingKey).update(base).digest('base64'),
    body_hash_function: (body: string) => createHash(algorithm).update(body).digest('base64'),
  });
  const data = {
    url: request.url,
    method: request.method,
    ...(options.bodyHash ? { data: request.body ?? '', includeBodyHash: true } : {}),
  };
  const authorized = oauth.authorize(data, { key: key.token, secret: key.token_secret });
  if (options.timestamp !== undefined || options.nonce !== undefined) {
    // Re-sign with a chosen timestamp or nonce.
    const fixed = new OAuth({
      consumer: { key: key.consumer_key, secret: key.consumer_secret },
      signature_method: method,
      hash_function: (base, signingKey) => createHmac(algorithm, signingKey).update(base).digest('base64'),
      body_hash_function: (body: string) => createHash(algorithm).update(body).digest('base64'),
    });
    fixed.getTimeStamp = () => options.timestamp ?? authorized.oauth_timestamp;
    fixed.getNonce = () => options.nonce ?? authorized.oauth_nonce;
    return fixed.toHeader(fixed.authorize(data, { key: key.token, secret: key.token_secret })).Authorization;
  }
  return oauth.toHeader(authorized).Authorization;
}

describe('OAuth 1.0a API keys', () => {
  let config: AppConfig;
  let app: NestFastifyApplication;
  let base: string;
  let writer: Credentials;
  let reader: Credentials;
  let outsider: Credentials;

  const path = (site = SITE, query = '') => `/api/account/${site}/personal-data-deletion${query}`;

  const post = (signedUrl: string, header: string, body: string, sentUrl = signedUrl): Promise<Answer> =>
    call(sentUrl, { method: 'POST', headers: { Authorization: header, 'Content-Type': 'application/json' }, body });

  beforeAll(async () => {
    ({ config, app } = await startTestApi('oauth', [{ siteId: SITE, monthlyQuota: 1000 }, { siteId: OTHER_SITE }]));
    base = await listen(app);
    const cli = async (...args: string[]) =>
      JSON.parse(await runCli(config, ['api-keys', 'create', ...args])) as Credentials;
    writer = await cli('--site-id', SITE, '--name', 'brand-backoffice');
    reader = await cli('--site-id', SITE, '--name', 'brand-reporting', '--permissions', 'read');
    outsider = await cli('--site-id', OTHER_SITE, '--name', 'another-brand');
  });

  afterAll(async () => {
    await app.close();
  });

  describe.each<Method>(['HMAC-SHA1', 'HMAC-SHA256'])('%s', (method) => {
    it.each([false, true])(
      'accepts a valid signature (body hash: %s) and records the key name as requested_by',
      async (bodyHash) => {
        const url = `${base}${path()}`;
        const body = JSON.stringify({ consumer: [`signed-${method}-${bodyHash}`] });
        const answer = await post(
          url,
          authorization(writer, method, { url, method: 'POST', body }, { bodyHash }),
          body,
        );
        expect(answer.status).toBe(201);
        expect(answer.body.requested_by).toBe('brand-backoffice');
      },
    );

    it('accepts a signed GET with a query string', async () => {
      const url = `${base}${path(SITE, '/quota')}?verbose=1&a=b%20c`;
      const answer = await call(url, {
        headers: { Authorization: authorization(reader, method, { url, method: 'GET' }) },
      });
      expect(answer.status).toBe(200);
    });
  });

  it('rejects a signature made with the wrong secret', async () => {
    const url = `${base}${path()}`;
    const body = JSON.stringify({ consumer: ['x'] });
    const answer = await post(
      url,
      authorization({ ...writer, consumer_secret: 'wrong' }, 'HMAC-SHA1', { url, method: 'POST', body }),
      body,
    );
    expect(answer).toMatchObject({ status: 401, body: { message: 'the OAuth credentials or signature are invalid' } });
    expect(answer.headers.get('www-authenticate')).toMatch(/OAuth/);
  });

  it('rejects a request sent to another path than the one signed (401 before 403)', async () => {
    const signed = `${base}${path()}`;
    const body = JSON.stringify({ consumer: ['x'] });
    const answer = await post(
      signed,
      authorization(writer, 'HMAC-SHA1', { url: signed, method: 'POST', body }),
      body,
      `${base}${path(OTHER_SITE)}`,
    );
    expect(answer.status).toBe(401);
  });

  it('rejects an altered query string', async () => {
    const signed = `${base}${path(SITE, '/quota')}?x=1`;
    const header = authorization(reader, 'HMAC-SHA1', { url: signed, method: 'GET' });
    const answer = await call(`${base}${path(SITE, '/quota')}?x=2`, { headers: { Authorization: header } });
    expect(answer.status).toBe(401);
  });

  it('rejects an altered body under a body hash', async () => {
    const url = `${base}${path()}`;
    const header = authorization(
      writer,
      'HMAC-SHA256',
      { url, method: 'POST', body: JSON.stringify({ consumer: ['a'] }) },
      { bodyHash: true },
    );
    const answer = await post(url, header, JSON.stringify({ consumer: ['b'] }));
    expect(answer).toMatchObject({ status: 401, body: { message: 'oauth_body_hash does not match the body' } });
  });

  it('rejects a stale timestamp', async () => {
    const url = `${base}${path(SITE, '/quota')}`;
    const header = authorization(
      reader,
      'HMAC-SHA1',
      { url, method: 'GET' },
      { timestamp: Math.floor(Date.now() / 1000) - 301 },
    );
    const answer = await call(url, { headers: { Authorization: header } });
    expect(answer.status).toBe(401);
    expect(answer.body.message).toMatch(/oauth_timestamp/);
  });

  it('rejects a reused nonce', async () => {
    const url = `${base}${path(SITE, '/quota')}`;
    const header = authorization(reader, 'HMAC-SHA1', { url, method: 'GET' }, { nonce: `nonce-${Date.now()}` });
    expect((await call(url, { headers: { Authorization: header } })).status).toBe(200);
    const replay = await call(url, { headers: { Authorization: header } });
    expect(replay).toMatchObject({ status: 401, body: { message: 'oauth_nonce was already used' } });
  });

  it('rejects a revoked key', async () => {
    const doomed = JSON.parse(
      await runCli(config, ['api-keys', 'create', '--site-id', SITE, '--name', 'doomed']),
    ) as Credentials;
    await runCli(config, ['api-keys', 'revoke', '--consumer-key', doomed.consumer_key]);
    const url = `${base}${path(SITE, '/quota')}`;
    const answer = await call(url, {
      headers: { Authorization: authorization(doomed, 'HMAC-SHA1', { url, method: 'GET' }) },
    });
    expect(answer).toMatchObject({ status: 401, body: { message: 'the OAuth credentials or signature are invalid' } });
  });

  it('answers 403 for a valid key of another account', async () => {
    const url = `${base}${path()}`;
    const body = JSON.stringify({ consumer: ['x'] });
    const answer = await post(url, authorization(outsider, 'HMAC-SHA1', { url, method: 'POST', body }), body);
    expect(answer.status).toBe(403);
  });

  it('answers 403 for a read-only key on a write', async () => {
    const url = `${base}${path()}`;
    const body = JSON.stringify({ consumer: ['x'] });
    const answer = await post(url, authorization(reader, 'HMAC-SHA1', { url, method: 'POST', body }), body);
    expect(answer).toMatchObject({ status: 403, body: { message: expect.stringMatching(/write permission/) } });
  });

  it('requires a body hash when AUTH_OAUTH_REQUIRE_BODY_HASH=true', async () => {
    const strict = await createTestApi(suiteConfig('oauth', { AUTH_OAUTH_REQUIRE_BODY_HASH: 'true' }));
    const strictBase = await listen(strict);
    try {
      const url = `${strictBase}${path()}`;
      const body = JSON.stringify({ consumer: ['needs-hash'] });
      const without = await post(url, authorization(writer, 'HMAC-SHA1', { url, method: 'POST', body }), body);
      expect(without).toMatchObject({
        status: 401,
        body: { message: 'oauth_body_hash is required for requests with a body' },
      });
      const withHash = await post(
        url,
        authorization(writer, 'HMAC-SHA1', { url, method: 'POST', body }, { bodyHash: true }),
        body,
      );
      expect(withHash.status).toBe(201);
    } finally {
      await strict.close();
    }
  });
});
