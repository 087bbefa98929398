import type { AppConfig } from '#app/config';
import { AccountsRepository } from '#app/database';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { createTestApi } from '../support/api.js';
import { listen } from '../support/http.js';
import { flushQueues, freshDatabase, suiteConfig } from '../support/test-environment.js';
import { bearer } from '../support/tokens.js';

/*
 * Generated requests against the running API: bodies, headers, paths, content types and credentials, valid and
 * not. Whatever arrives: no 5xx, no crash, and every error answered with the common body.
 * `npm run fuzz -- --runs 10000` for a long run (the count travels in Jest's --globals).
 */
const RUNS = Number((globalThis as { FUZZ_RUNS?: unknown }).FUZZ_RUNS ?? 3000);
const SITE = '20762324';
const OTHER = '99999';

describe('fuzzing the API', () => {
  let config: AppConfig;
  let app: NestFastifyApplication;
  let base: string;
  let credentials: string[];

  beforeAll(async () => {
    config = suiteConfig('fuzz');
    await freshDatabase(config);
    await flushQueues(config);
    app = await createTestApi(config);
    base = await listen(app);
    const accounts = app.get(AccountsRepository);
    await accounts.upsert({ siteId: SITE, monthlyQuota: 1_000_000, legacyTicketing: true });
    await accounts.upsert({ siteId: OTHER, monthlyQuota: 1_000_000 });
    credentials = [
      await bearer(SITE),
      await bearer(SITE, { permissions: ['read'] }),
      await bearer(OTHER),
      await bearer(SITE, { secret: 'not-the-secret-but-long-enough-1234' }),
    ];
  });

  afterAll(async () => {
    await app.close();
  });

  const id = fc.oneof(
    fc.string({ maxLength: 24 }),
    fc.stringMatching(/^20762324[0-9]{1,12}$/),
    fc.constantFrom('', ' ', 'LTK123', '123X', '\u0000', '😀', '../../etc/passwd', '%00', '1e400'),
  );
  const idList = fc.oneof(
    fc.array(id, { maxLength: 8 }),
    fc.array(id, { minLength: 99, maxLength: 102 }),
    fc.array(fc.jsonValue(), { maxLength: 4 }),
  );
  const key = fc.oneof(
    fc.constantFrom('engagement', 'conversation', 'consumer', 'ticketing', '__proto__', 'constructor', ''),
    fc.string({ maxLength: 12 }),
  );
  const body = fc.oneof(
    fc.dictionary(key, fc.oneof(idList, fc.jsonValue()), { maxKeys: 3 }).map((value) => JSON.stringify(value)),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.string({ maxLength: 200 }),
    fc.constantFrom(
      '',
      '{',
      '{"engagement": [',
      '{"consumer":["a"]}garbage',
      'null',
      '[]',
      '"x"',
      '{"consumer":["a"],"consumer":["b"]}',
    ),
  );
  const site = fc.oneof(
    fc.constantFrom(SITE, OTHER, 'unknown_site', '', '%2e%2e', 'a'.repeat(21), 'bad-site', '😀'),
    fc.string({ maxLength: 25 }),
  );
  const suffix = fc.oneof(
    fc.constantFrom(
      '',
      '/quota',
      '/1',
      '/1/cancel',
      '/0',
      '/-1',
      '/99999999999999999999',
      '/abc/cancel',
      '/1/cancel/extra',
      '?limit=0',
      '?limit=abc',
      '?status=X',
      '?fromDate=2026-02-30',
      '?cursor=-1',
      '?limit=5&cursor=9999999999999999999',
    ),
    fc.string({ maxLength: 20 }).map((s) => `/${encodeURIComponent(s)}`),
    fc.string({ maxLength: 20 }).map((s) => `?${s}`),
  );
  const authorization = fc.oneof(
    fc.nat(3).map((i) => credentials[i]!),
    fc.constantFrom(
      undefined,
      '',
      'Bearer',
      'Bearer x.y.z',
      'Basic Zm9vOmJhcg==',
      'OAuth',
      'OAuth oauth_consumer_key="x"',
      'OAuth a="b", a="c"',
      'Bearer eyJhbGciOiJub25lIn0.e30.',
    ),
    fc.string({ maxLength: 60 }).map((s) => `OAuth ${s}`),
    fc.string({ maxLength: 60 }),
  );
  const contentType = fc.oneof(
    fc.constantFrom(
      undefined,
      'application/json',
      'application/json; charset=utf-8',
      'application/merge-patch+json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
    ),
    fc.string({ maxLength: 30 }),
  );
  const request = fc.record({
    method: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH'),
    site,
    suffix,
    body,
    authorization,
    contentType,
    idempotencyKey: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
  });

  it(`answers ${RUNS} generated requests without a 5xx, each error in the common body`, async () => {
    await fc.assert(
      fc.asyncProperty(request, async (generated) => {
        const headers = new Headers();
        const set = (name: string, value: string | undefined) => {
          if (value === undefined) return;
          try {
            headers.set(name, value);
          } catch {
            // not a legal header value: a client could not send it either
          }
        };
        set('Authorization', generated.authorization);
        set('Content-Type', generated.contentType);
        set('Idempotency-Key', generated.idempotencyKey);
        let url: string;
        try {
          url = new URL(
            `${base}/api/account/${encodeURIComponent(generated.site)}/personal-data-deletion${generated.suffix}`,
          ).toString();
        } catch {
          return;
        }
        const withBody = generated.method !== 'GET' && generated.method !== 'DELETE';
        const response = await fetch(url, {
          method: generated.method,
          headers,
          body: withBody ? generated.body : undefined,
        });
        const text = await response.text();
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) {
          const parsed = JSON.parse(text) as Record<string, unknown>;
          expect(Object.keys(parsed).sort()).toEqual(['error', 'message', 'statusCode']);
          expect(parsed.statusCode).toBe(response.status);
          expect(typeof parsed.message).toBe('string');
          expect(text).not.toMatch(/at .*\.js:\d+|QueryFailedError|SELECT |INSERT /);
        }
      }),
      { numRuns: RUNS },
    );
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });
});
