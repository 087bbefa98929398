import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { startTestApi } from '../support/api.js';
import { listen } from '../support/http.js';
import { sendRaw } from '../support/raw-http.js';
import { TEST_JWT_SECRET } from '../support/test-environment.js';
import { bearer } from '../support/tokens.js';
import { bigBody, claims, deepBody, rawHeaders, target } from './generators.js';

/*
 * Generated requests against the running API: bodies, headers, paths, content types and credentials, valid and
 * not, and structure-aware ones (./generators.ts) that get past the first check. Whatever arrives: no 5xx, no
 * crash, and every error answered with the common body.
 * `npm run fuzz -- --runs 10000` for a long run (the count travels in Jest's --globals), shared by the properties.
 */
const RUNS = Number((globalThis as { FUZZ_RUNS?: unknown }).FUZZ_RUNS ?? 3000);
const share = (fraction: number) => Math.max(1, Math.round(RUNS * fraction));
const secret = new TextEncoder().encode(TEST_JWT_SECRET);

/** An answer the API may give: below 500, and when an error with a body, the common body and nothing internal. */
function expectSafe(status: number, text: string): void {
  expect(status).toBeLessThan(500);
  if (status >= 400 && text !== '') {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(['error', 'message', 'statusCode']);
    expect(parsed.statusCode).toBe(status);
    expect(typeof parsed.message).toBe('string');
    expect(text).not.toMatch(/at .*\.js:\d+|QueryFailedError|SELECT |INSERT /);
  }
}
const SITE = '20762324';
const OTHER = '99999';

describe('fuzzing the API', () => {
  let app: NestFastifyApplication;
  let base: string;
  let credentials: string[];

  beforeAll(async () => {
    ({ app } = await startTestApi('fuzz', [
      { siteId: SITE, monthlyQuota: 1_000_000, legacyTicketing: true },
      { siteId: OTHER, monthlyQuota: 1_000_000 },
    ]));
    base = await listen(app);
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
    fc.nat(3).map((i) => credentials[i]),
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

  it(`answers ${share(0.4)} generated requests without a 5xx, each error in the common body`, async () => {
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
      { numRuns: share(0.4) },
    );
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });

  const create = (authorization: string, body: string) =>
    fetch(`${base}/api/account/${SITE}/personal-data-deletion`, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body,
    });

  it(`answers ${share(0.2)} tokens with odd claims, signed with the right secret, with no 5xx`, async () => {
    await fc.assert(
      fc.asyncProperty(claims, fc.boolean(), async (payload, write) => {
        const token = await new SignJWT(payload as Record<string, unknown>)
          .setProtectedHeader({ alg: 'HS256' })
          .sign(secret);
        const response = write
          ? await create(`Bearer ${token}`, JSON.stringify({ consumer: ['fuzz'] }))
          : await fetch(`${base}/api/account/${SITE}/personal-data-deletion/quota`, {
              headers: { Authorization: `Bearer ${token}` },
            });
        expectSafe(response.status, await response.text());
      }),
      { numRuns: share(0.2) },
    );
  });

  it(`answers ${share(0.2)} deep, long and unicode bodies from a valid caller with no 5xx`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(deepBody, bigBody), async (body) => {
        const response = await create(credentials[0], body);
        expectSafe(response.status, await response.text());
      }),
      { numRuns: share(0.2) },
    );
  });

  const rawRequestOf = fc.record({
    method: fc.constantFrom('GET', 'POST', 'POST', 'OPTIONS', 'HEAD', 'PUT', 'BREW'),
    target,
    headers: rawHeaders,
    body: fc.oneof(fc.constant(''), fc.constant('{"consumer":["raw"]}'), deepBody, fc.string({ maxLength: 40 })),
  });

  it(`answers ${share(0.2)} raw requests (odd targets and headers, lying lengths) with no 5xx`, async () => {
    const port = Number(new URL(base).port);
    await fc.assert(
      fc.asyncProperty(rawRequestOf, async ({ method, target: path, headers, body }) => {
        const lines = [`${method} ${path} HTTP/1.1`];
        const hosts = headers.host === undefined ? [] : [headers.host].flat();
        for (const host of hosts) lines.push(`Host: ${host}`);
        for (let i = 0; i < headers.authorizations; i++) lines.push(`Authorization: ${credentials[i % 3]}`);
        if (headers.contentType !== undefined) lines.push(`Content-Type: ${headers.contentType}`);
        const length = headers.contentLength === 'right' ? Buffer.byteLength(body) : headers.contentLength;
        if (length !== undefined) lines.push(`Content-Length: ${length}`);
        if (headers.forwarded) lines.push('X-Forwarded-Host: evil.example', 'X-Forwarded-Proto: gopher');
        const request = `${lines.join('\r\n')}\r\nConnection: close\r\n\r\n${body}`;
        // A body shorter than its Content-Length ends with a half-close, or the server would wait for the rest.
        const answer = await sendRaw(port, request, { halfClose: headers.contentLength !== 'right' });
        expectSafe(answer.status, method === 'HEAD' ? '' : decodeBody(answer.head, answer.body));
      }),
      { numRuns: share(0.2) },
    );
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
  });
});

/** The body of a raw answer, unchunked when sent chunked. */
function decodeBody(head: string, body: string): string {
  if (!/^transfer-encoding: *chunked/im.test(head)) return body;
  let text = '';
  for (let rest = body; ;) {
    const size = parseInt(rest, 16);
    if (!size) return text;
    const start = rest.indexOf('\r\n') + 2;
    text += rest.slice(start, start + size);
    rest = rest.slice(start + size + 2);
  }
}
