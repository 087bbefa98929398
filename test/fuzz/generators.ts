import fc from 'fast-check';

/*
 * Structure-aware generators for the API fuzzer: inputs shaped to reach past the first check (a body that
 * parses, a token whose signature holds, a request line Node accepts) and stress what comes after.
 */

const SITE = '20762324';

/** Arrays, objects or both, nested up to thousands deep, closed or not, inside a create body or bare. */
export const deepBody = fc
  .record({
    depth: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 40, max: 20_000 })),
    kind: fc.constantFrom('array', 'object', 'mixed'),
    closed: fc.boolean(),
    inCreate: fc.boolean(),
  })
  .map(({ depth, kind, closed, inCreate }) => {
    const open = (i: number) => (kind === 'array' || (kind === 'mixed' && i % 2 === 0) ? '[' : '{"k":');
    const close = (i: number) => (kind === 'array' || (kind === 'mixed' && i % 2 === 0) ? ']' : '}');
    let opened = '';
    let closing = '';
    for (let i = 0; i < depth; i++) {
      opened += open(i);
      closing = close(i) + closing;
    }
    const nested = `${opened}"${SITE}1"${closed ? closing : ''}`;
    return inCreate ? `{"engagement":${nested}}` : nested;
  });

/** Strings with control characters, lone surrogates, emoji, RTL marks, NULs, as ids. */
const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 20 }),
  fc.constantFrom('\uD800', '\uDFFF', '\u202E', '\uFEFF', '\u0000', '😀'.repeat(30), 'é\u0301', '\\u0000'),
);

/** Long strings, long arrays, unicode and control characters, in otherwise plausible create bodies. */
export const bigBody = fc.oneof(
  fc.integer({ min: 60, max: 70_000 }).map((n) => JSON.stringify({ consumer: ['x'.repeat(n)] })),
  fc
    .integer({ min: 90, max: 6000 })
    .map((n) => JSON.stringify({ consumer: Array.from({ length: n }, (_, i) => `${i}`) })),
  fc.integer({ min: 20, max: 400 }).map((n) => `{"consumer":[${'9'.repeat(n)}]}`),
  fc.constantFrom('{"consumer":[1e400]}', '{"consumer":[-1e400]}', '{"consumer":[1e-400]}', '{"consumer":[-0]}'),
  fc.array(oddString, { minLength: 1, maxLength: 5 }).map((ids) => JSON.stringify({ conversation: ids })),
  fc
    .array(oddString, { minLength: 1, maxLength: 3 })
    .map((keys) => `{${keys.map((k) => `${JSON.stringify(k)}:1`).join(',')}}`),
  fc
    .constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf')
    .map((k) => `{"${k}":{"consumer":["a"]}}`),
);

/** A claim value of any type and size. */
const anyClaim = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER, 0, -1, 0.5),
  fc.string({ maxLength: 20 }),
  fc.integer({ min: 250, max: 3000 }).map((n) => 'x'.repeat(n)),
  fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant(null)), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
);

/** JWT claims, each either sane or odd, plus extra claims: to be signed with the API's secret. */
export const claims = fc
  .record({
    sub: fc.oneof(fc.constant('Mike'), fc.string({ minLength: 1, maxLength: 255 }), anyClaim),
    site_ids: fc.oneof(
      fc.constant([SITE]),
      fc.array(fc.constantFrom(SITE, '99999', ''), { maxLength: 1200 }),
      anyClaim,
    ),
    permissions: fc.oneof(fc.constant(['read', 'write']), fc.subarray(['read', 'write', 'admin']), anyClaim),
    iat: fc.oneof(fc.constant('now' as const), anyClaim),
    exp: fc.oneof(fc.constant('soon' as const), anyClaim),
    nbf: fc.oneof(fc.constant(undefined), anyClaim),
    extra: fc.dictionary(fc.string({ maxLength: 8 }), anyClaim, { maxKeys: 3 }),
  })
  .map(({ extra, iat, exp, ...rest }) => {
    const now = Math.floor(Date.now() / 1000);
    return { ...extra, ...rest, iat: iat === 'now' ? now : iat, exp: exp === 'soon' ? now + 600 : exp };
  });

const encodedPath = fc.constantFrom(
  `/api/account/${SITE}/personal-data-deletion`,
  `/%61pi/account/${SITE}/personal-data-deletion`,
  `/api/account/${SITE}/personal-data-deletion%2Fquota`,
  `/api/account/${SITE}/personal-data-deletion/%2e%2e/%2e%2e/x`,
  `/api/account/x/../${SITE}/personal-data-deletion`,
  `/api/./account/${SITE}/personal-data-deletion/./quota`,
  `//api/account/${SITE}/personal-data-deletion`,
  `/api/account/${SITE}/personal-data-deletion/quota/`,
  `/api/account/${SITE}%00/personal-data-deletion`,
  `/api/account/%ZZ/personal-data-deletion`,
  `/api/account/${SITE}/personal-data-deletion?status=DONE&status=FAILED&limit=1&limit=x`,
  `/api/account/${SITE}/personal-data-deletion?__proto__[x]=1&constructor=1`,
  `/admin/queues`,
  `/%61dmin/queues/api/queues`,
  `/metrics`,
  `/docs-json`,
  `/health/../metrics`,
);

/** Request targets: percent-encoded and dot-segment paths, absolute-form, asterisk-form, garbage. */
export const target = fc.oneof(
  encodedPath,
  encodedPath.map((path) => `http://127.0.0.1${path}`),
  encodedPath.map((path) => `https://evil.example:443${path}`),
  fc.constantFrom('*', 'evil.example:443', '/'.repeat(300), `/${'a'.repeat(9000)}`),
  fc.string({ maxLength: 40 }).map((s) => `/api/account/${SITE}/personal-data-deletion/${encodeURIComponent(s)}`),
);

const headerValue = fc.oneof(
  fc.string({ maxLength: 30 }).filter((s) => !/[\r\n]/.test(s)),
  fc.constantFrom('', ' ', 'a b', '[::1', 'x:99999', '..', 'user@host', '%00', 'bücher.example', '\t'),
);

/** Odd headers: Host, Content-Length that lies, Content-Type, duplicated Authorization, forwarded headers. */
export const rawHeaders = fc.record({
  host: fc.oneof(
    fc.constant(undefined),
    fc.constant('127.0.0.1'),
    headerValue,
    fc.array(headerValue, { maxLength: 3 }),
  ),
  contentLength: fc.oneof(
    fc.constant('right' as const),
    fc.constant(undefined),
    fc.integer({ min: -5, max: 80 }),
    fc.constantFrom('1e3', 'abc', '5, 6', ''),
  ),
  contentType: fc.oneof(fc.constant('application/json'), fc.constant(undefined), headerValue),
  authorizations: fc.integer({ min: 0, max: 3 }),
  forwarded: fc.boolean(),
});
