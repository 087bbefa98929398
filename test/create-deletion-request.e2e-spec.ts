import { startDeletionJobId } from '#app/queue';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import { SignJWT } from 'jose';
import type pg from 'pg';
import request from 'supertest';
import { JobRelay } from '../apps/api/deletion-requests/job-relay.js';
import { startCreateSuite, type CreateSuite } from './support/api.js';
import { DOCUMENTED_KEYS } from './support/documented-keys.js';
import { bearer } from './support/tokens.js';
import { waitFor } from './support/wait.js';

const SITE = '20762324';
const LEGACY_SITE = 'legacy_1';
const WINDOW_SECONDS = 3600;
const path = (site = SITE) => `/api/account/${site}/personal-data-deletion`;

describe('POST /api/account/{site_id}/personal-data-deletion', () => {
  let suite: CreateSuite;
  let app: NestFastifyApplication;
  let db: pg.Pool;
  let queue: Queue;
  let auth: string;
  let post: CreateSuite['post'];

  beforeAll(async () => {
    suite = await startCreateSuite('create', SITE, [
      { siteId: SITE, cancellationWindowSeconds: WINDOW_SECONDS },
      { siteId: LEGACY_SITE, legacyTicketing: true },
    ]);
    ({ app, db, queue, auth, post } = suite);
  });

  afterAll(() => suite.close());

  describe('a valid request', () => {
    it('answers 201 with the documented record, the row committed and the delayed job in Redis', async () => {
      const before = Date.now();
      const response = await post({ engagement: ['207623244295067780'] }).expect(201);

      expect(Object.keys(response.body).slice(0, 8)).toEqual(DOCUMENTED_KEYS);
      expect(response.body).toMatchObject({
        siteid: SITE,
        requested_by: 'Mike',
        cancelled_by: null,
        delete_json: '{"engagement":["207623244295067780"]}',
        cancel_timestamp: null,
        is_canceled: false,
        status: 'NOT_STARTED',
      });
      expect(typeof response.body.request_id).toBe('number');
      expect(response.body.request_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const requestTime = Date.parse(response.body.request_time);
      expect(Date.parse(response.body.final_at) - requestTime).toBe(WINDOW_SECONDS * 1000);

      const { rows } = await db.query('SELECT * FROM deletion_requests WHERE id = $1', [response.body.request_id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        site_id: SITE,
        deletion_type: 'engagement',
        subject_ids: ['207623244295067780'],
        status: 'NOT_STARTED',
        is_canceled: false,
      });
      // The job is relayed to Redis, then the row marked, right after the answer.
      await app.get(JobRelay).settled(String(response.body.request_id));
      await waitFor('the enqueue mark', async () => {
        const marked = await db.query('SELECT enqueued_at FROM deletion_requests WHERE id = $1', [
          response.body.request_id,
        ]);
        return marked.rows[0].enqueued_at ?? undefined;
      });
      expect(rows[0].correlation_id).toBe(response.headers['x-request-id']);

      const job = await queue.getJob(startDeletionJobId(String(response.body.request_id)));
      expect(job).toBeDefined();
      expect(await job!.getState()).toBe('delayed');
      expect(job!.data).toEqual({
        requestId: String(response.body.request_id),
        siteId: SITE,
        correlationId: response.headers['x-request-id'],
      });
      // delay = final_at - now, taken a few milliseconds after the row was written
      expect(job!.opts.delay).toBeGreaterThan(WINDOW_SECONDS * 1000 - (Date.now() - before) - 1000);
      expect(job!.opts.delay).toBeLessThanOrEqual(WINDOW_SECONDS * 1000);
    });

    it.each([
      ['conversation', { conversation: ['c-1', 'c-2'] }],
      ['consumer', { consumer: ['participant-1'] }],
    ])('accepts a %s request', async (_, body) => {
      const response = await post(body).expect(201);
      expect(JSON.parse(response.body.delete_json)).toEqual(body);
    });

    it('accepts ticketing for a legacy-ticketing account', async () => {
      const response = await post({ ticketing: ['1234'] }, LEGACY_SITE, await bearer(LEGACY_SITE)).expect(201);
      expect(response.body.delete_json).toBe('{"ticketing":["1234"]}');
    });

    it('accepts exactly 100 ids', async () => {
      const ids = Array.from({ length: 100 }, (_, i) => `consumer-${i}`);
      await post({ consumer: ids }).expect(201);
    });

    it('echoes the caller X-Request-Id', async () => {
      const response = await post({ consumer: ['x'] })
        .set('X-Request-Id', 'brand-trace-42')
        .expect(201);
      expect(response.headers['x-request-id']).toBe('brand-trace-42');
    });
  });

  describe('bad input', () => {
    const hundredAndOne = Array.from({ length: 101 }, (_, i) => `id-${i}`);
    it.each([
      ['no key', {}, /exactly one of the keys .* \(got none of them\)/],
      [
        'two keys',
        { consumer: ['a'], conversation: ['b'] },
        /got conversation and consumer|got consumer and conversation/,
      ],
      ['an unknown key', { consumer: ['a'], phone: ['555'] }, /unknown key "phone"/],
      ['only an unknown key', { emails: ['a@b.c'] }, /unknown key "emails"/],
      ['an empty array', { consumer: [] }, /consumer must hold at least one id/],
      ['more than 100 ids', { consumer: hundredAndOne }, /consumer must hold at most 100 ids \(got 101\)/],
      ['a duplicate id', { conversation: ['a', 'b', 'a'] }, /conversation\[2\] repeats the id "a"/],
      ['a non-string id', { conversation: ['a', 42] }, /conversation\[1\] must be a string/],
      ['a blank id', { conversation: ['  '] }, /conversation\[0\] must not be blank/],
      ['a non-array value', { conversation: 'abc' }, /conversation must be an array of ids/],
      [
        'an engagement id without the site id',
        { engagement: ['4295067780'] },
        /engagement\[0\] "4295067780" must start with the site id 20762324/,
      ],
      [
        'ticketing on an account that is not legacy-ticketing',
        { ticketing: ['1'] },
        /only available to legacy-ticketing accounts/,
      ],
      ['malformed JSON', '{"consumer": [', /not valid JSON/],
      ['a JSON array body', '[{"consumer":["a"]}]', /must be a JSON object/],
      ['a JSON string body', '"consumer"', /must be a JSON object/],
      ['a null body', 'null', /must be a JSON object/],
    ])('rejects %s with 400 naming the rule', async (_, body, message) => {
      const response = await post(body).expect(400);
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message) });
    });

    it.each([
      ['the LTK prefix', 'LTK1234', /without the LTK prefix/],
      ['the X suffix', '1234X', /without the X suffix/],
    ])('rejects a ticket id carrying %s with 400', async (_, id, message) => {
      const response = await post({ ticketing: [id] }, LEGACY_SITE, await bearer(LEGACY_SITE)).expect(400);
      expect(response.body.message).toMatch(message);
    });

    it('rejects a malformed site id with 400', async () => {
      const response = await post({ consumer: ['a'] }, 'bad-site!', await bearer('bad-site!')).expect(400);
      expect(response.body.message).toMatch(/site_id/);
    });

    it('rejects a body over 64 KiB with 413', async () => {
      const ids = Array.from({ length: 100 }, (_, i) => `${i}-${'x'.repeat(700)}`);
      const response = await post({ consumer: ids }).expect(413);
      expect(response.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: expect.stringMatching(/65536 bytes/),
      });
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
      'rejects Content-Type %s with 415',
      async (type) => {
        const response = await request(app.getHttpServer())
          .post(path())
          .set('Authorization', auth)
          .set('Content-Type', type)
          .send('{"consumer":["a"]}')
          .expect(415);
        expect(response.body).toEqual({
          statusCode: 415,
          error: 'Unsupported Media Type',
          message: expect.stringContaining(type),
        });
      },
    );

    it('rejects a missing body with 400', async () => {
      const response = await request(app.getHttpServer()).post(path()).set('Authorization', auth).expect(400);
      expect(response.body.message).toMatch(/body is missing/);
    });

    it('records nothing for rejected requests', async () => {
      const { rows: before } = await db.query('SELECT count(*)::int AS n FROM deletion_requests');
      await post({ consumer: [] }).expect(400);
      await post({ engagement: ['1'] }).expect(400);
      const { rows: after } = await db.query('SELECT count(*)::int AS n FROM deletion_requests');
      expect(after[0].n).toBe(before[0].n);
    });
  });

  describe('credentials', () => {
    const body = { consumer: ['a'] };
    const secret = new TextEncoder().encode('e2e-test-secret-that-is-long-enough-for-production');

    it('answers 401 with WWW-Authenticate without an Authorization header', async () => {
      const response = await request(app.getHttpServer())
        .post(path())
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(401);
      expect(response.headers['www-authenticate']).toMatch(/Bearer/);
      expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
    });

    it.each([
      ['garbage', 'Bearer garbage'],
      ['a bad signature', null],
      ['an expired token', 'expired'],
      ['alg none', 'none'],
    ])('answers 401 for %s', async (_, kind) => {
      let authorization: string;
      if (kind === null) authorization = await bearer(SITE, { secret: 'some-other-secret-of-enough-length' });
      else if (kind === 'expired') {
        const token = await new SignJWT({ site_ids: [SITE], permissions: ['write'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject('Mike')
          .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
          .sign(secret);
        authorization = `Bearer ${token}`;
      } else if (kind === 'none') {
        const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
        const payload = Buffer.from(
          JSON.stringify({ sub: 'Mike', site_ids: [SITE], permissions: ['write'], exp: 9999999999 }),
        ).toString('base64url');
        authorization = `Bearer ${header}.${payload}.`;
      } else authorization = kind;
      const response = await post(body, SITE, authorization).expect(401);
      expect(response.headers['www-authenticate']).toBeDefined();
    });

    it('answers 401 before looking at a malformed body', async () => {
      await request(app.getHttpServer()).post(path()).set('Content-Type', 'text/plain').send('nonsense').expect(401);
    });

    it('answers 403 for a token of another account', async () => {
      const response = await post(body, SITE, await bearer('99999')).expect(403);
      expect(response.body.message).toMatch(/not authorized for account 20762324/);
    });

    it('answers 403 for a read-only token', async () => {
      const response = await post(body, SITE, await bearer(SITE, { permissions: ['read'] })).expect(403);
      expect(response.body.message).toMatch(/lacks the write permission/);
    });

    it('answers 403 for an account that does not exist', async () => {
      const response = await post(body, '777', await bearer('777')).expect(403);
      expect(response.body.message).toMatch(/not registered/);
    });
  });

  it('answers 404 with the common body for an unknown route', async () => {
    const response = await request(app.getHttpServer()).get('/api/nothing-here').expect(404);
    expect(response.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
  });
});
