import type { AppConfig } from '#app/config';
import { AccountsRepository } from '#app/database';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import fc from 'fast-check';
import type pg from 'pg';
import { startTestApi } from './support/api.js';
import { call, listen, type Answer } from './support/http.js';
import { freePort } from './support/ports.js';
import { startApp, stopApp, type AppProcess } from './support/processes.js';
import { TestClock } from './support/test-clock.js';
import { databasePool } from './support/test-environment.js';
import { bearer } from './support/tokens.js';
import { waitFor } from './support/wait.js';

describe('monthly quota and Idempotency-Key', () => {
  let config: AppConfig;
  let app: NestFastifyApplication;
  let base: string;
  let db: pg.Pool;
  let accounts: AccountsRepository;
  const clock = new TestClock(new Date('2026-01-31T23:59:59.999Z'));
  let siteCounter = 0;

  /** A fresh account (so each test counts from zero) with `quota` requests a month. */
  const newAccount = async (quota: number): Promise<string> => {
    const siteId = `q${++siteCounter}_${Date.now() % 100000}`;
    await accounts.upsert({ siteId, monthlyQuota: quota, cancellationWindowSeconds: 3600 });
    return siteId;
  };

  const create = async (
    siteId: string,
    body: unknown,
    headers: Record<string, string> = {},
    url = base,
  ): Promise<Answer> =>
    call(`${url}/api/account/${siteId}/personal-data-deletion`, {
      method: 'POST',
      headers: { Authorization: await bearer(siteId), ...headers },
      json: body,
    });

  const rowsOf = async (siteId: string): Promise<number> =>
    (await db.query('SELECT count(*)::int AS n FROM deletion_requests WHERE site_id = $1', [siteId])).rows[0].n;

  beforeAll(async () => {
    ({ config, app } = await startTestApi('quota', [], { api: { clock } }));
    base = await listen(app);
    accounts = app.get(AccountsRepository);
    db = databasePool(config);
  });

  afterAll(async () => {
    await db.end();
    await app.close();
  });

  beforeEach(() => {
    clock.at = new Date('2026-01-15T12:00:00.000Z');
  });

  describe('quota', () => {
    it('lets exactly 100 of 300 concurrent creates through and answers the rest 429', async () => {
      const siteId = await newAccount(100);
      const answers = await Promise.all(
        Array.from({ length: 300 }, (_, i) => create(siteId, { consumer: [`c-${i}`] })),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(100);
      expect(statuses.filter((s) => s === 429)).toHaveLength(200);
      expect(await rowsOf(siteId)).toBe(100);
    });

    it('lets exactly 100 through when two API processes share the database', async () => {
      const siteId = await newAccount(100);
      const ports = await Promise.all([freePort(), freePort()]);
      const apis: AppProcess[] = ports.map((port, i) =>
        startApp('api', `quota-api-${i}`, config, { PORT: String(port) }),
      );
      try {
        const urls = ports.map((port) => `http://127.0.0.1:${port}`);
        await Promise.all(
          urls.map((url) =>
            waitFor(
              `API at ${url}`,
              async () => (await fetch(`${url}/api/nothing`).catch(() => undefined))?.status,
              30_000,
              200,
            ),
          ),
        );
        const answers = await Promise.all(
          Array.from({ length: 300 }, (_, i) => create(siteId, { consumer: [`two-${i}`] }, {}, urls[i % 2])),
        );
        expect(answers.filter((a) => a.status === 201)).toHaveLength(100);
        expect(answers.filter((a) => a.status === 429)).toHaveLength(200);
        expect(await rowsOf(siteId)).toBe(100);
      } finally {
        await Promise.all(apis.map((api) => stopApp(api)));
      }
    });

    it('answers 429 with the limit, the reset and the RateLimit headers; 201 carries RateLimit headers too', async () => {
      const siteId = await newAccount(2);
      const first = await create(siteId, { consumer: ['a'] });
      expect(first.status).toBe(201);
      expect(first.headers.get('ratelimit-limit')).toBe('2');
      expect(first.headers.get('ratelimit-remaining')).toBe('1');
      await create(siteId, { consumer: ['b'] });
      const refused = await create(siteId, { consumer: ['c'] });
      expect(refused.status).toBe(429);
      expect(refused.body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'the monthly quota of 2 deletion requests is used up; it resets at 2026-02-01T00:00:00.000Z',
      });
      const untilReset = String((Date.parse('2026-02-01T00:00:00.000Z') - clock.at.getTime()) / 1000);
      expect(refused.headers.get('retry-after')).toBe(untilReset);
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
      expect(refused.headers.get('ratelimit-reset')).toBe(untilReset);
    });

    it('resets at 00:00:00.000 UTC on the 1st and not a millisecond before', async () => {
      const siteId = await newAccount(1);
      clock.at = new Date('2026-01-31T23:59:59.998Z');
      expect((await create(siteId, { consumer: ['jan'] })).status).toBe(201);
      clock.at = new Date('2026-01-31T23:59:59.999Z');
      const late = await create(siteId, { consumer: ['still-jan'] });
      expect(late.status).toBe(429);
      expect(late.headers.get('retry-after')).toBe('1');
      clock.at = new Date('2026-02-01T00:00:00.000Z');
      expect((await create(siteId, { consumer: ['feb'] })).status).toBe(201);
    });

    it('reports this month on GET /quota', async () => {
      const siteId = await newAccount(5);
      await create(siteId, { consumer: ['one'] });
      await create(siteId, { consumer: ['two'] });
      const answer = await call(`${base}/api/account/${siteId}/personal-data-deletion/quota`, {
        headers: { Authorization: await bearer(siteId, { permissions: ['read'] }) },
      });
      expect(answer).toMatchObject({
        status: 200,
        body: { limit: 5, used: 2, remaining: 3, resets_at: '2026-02-01T00:00:00.000Z' },
      });
    });

    it('charges nothing for requests that fail authentication, privileges or validation', async () => {
      const siteId = await newAccount(1);
      expect((await create(siteId, { consumer: [] })).status).toBe(400);
      expect((await create(siteId, { engagement: ['nope'] })).status).toBe(400);
      const readOnly = await call(`${base}/api/account/${siteId}/personal-data-deletion`, {
        method: 'POST',
        headers: { Authorization: await bearer(siteId, { permissions: ['read'] }) },
        json: { consumer: ['x'] },
      });
      expect(readOnly.status).toBe(403);
      expect((await create(siteId, { consumer: ['x'] }, { Authorization: 'Bearer nope' })).status).toBe(401);
      expect((await create(siteId, { consumer: ['finally'] })).status).toBe(201);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the original 201 for the same key and body, without charging quota', async () => {
      const siteId = await newAccount(3);
      const first = await create(siteId, { conversation: ['c1'] }, { 'Idempotency-Key': 'retry-1' });
      const again = await create(siteId, { conversation: ['c1'] }, { 'Idempotency-Key': 'retry-1' });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(again.headers.get('ratelimit-remaining')).toBe('2');
      expect(await rowsOf(siteId)).toBe(1);
    });

    it('answers 422 for the same key with another body', async () => {
      const siteId = await newAccount(3);
      await create(siteId, { conversation: ['c1'] }, { 'Idempotency-Key': 'k' });
      const other = await create(siteId, { conversation: ['c2'] }, { 'Idempotency-Key': 'k' });
      expect(other.status).toBe(422);
      expect(other.body.message).toMatch(/different body/);
    });

    it('creates one request for concurrent creates with one key', async () => {
      const siteId = await newAccount(20);
      const answers = await Promise.all(
        Array.from({ length: 12 }, () => create(siteId, { consumer: ['same'] }, { 'Idempotency-Key': 'burst' })),
      );
      expect(answers.every((answer) => answer.status === 201)).toBe(true);
      expect(new Set(answers.map((answer) => answer.body.request_id)).size).toBe(1);
      expect(await rowsOf(siteId)).toBe(1);
    });

    it('scopes keys to the account', async () => {
      const [a, b] = [await newAccount(3), await newAccount(3)];
      const first = await create(a, { consumer: ['x'] }, { 'Idempotency-Key': 'shared' });
      const second = await create(b, { consumer: ['x'] }, { 'Idempotency-Key': 'shared' });
      expect(second.status).toBe(201);
      expect(second.body.request_id).not.toBe(first.body.request_id);
    });

    it('creates a new request once the key is more than 24 hours old', async () => {
      const siteId = await newAccount(3);
      const first = await create(siteId, { consumer: ['x'] }, { 'Idempotency-Key': 'day' });
      clock.at = new Date(clock.at.getTime() + 24 * 3600 * 1000 + 1);
      const later = await create(siteId, { consumer: ['x'] }, { 'Idempotency-Key': 'day' });
      expect(later.status).toBe(201);
      expect(later.body.request_id).not.toBe(first.body.request_id);
    });

    it('rejects a malformed key with 400', async () => {
      const siteId = await newAccount(3);
      expect((await create(siteId, { consumer: ['x'] }, { 'Idempotency-Key': 'x'.repeat(256) })).status).toBe(400);
    });
  });

  it('never creates more than the limit, never charges invalid requests or replays, and replays the original record', async () => {
    type Action = { kind: 'valid' } | { kind: 'invalid' } | { kind: 'replay'; of: number };
    const action = fc.oneof(
      fc.constant<Action>({ kind: 'valid' }),
      fc.constant<Action>({ kind: 'invalid' }),
      fc.nat(20).map<Action>((of) => ({ kind: 'replay', of })),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.array(action, { minLength: 1, maxLength: 14 }),
        async (limit, actions) => {
          const siteId = await newAccount(limit);
          const sent: { key: string; body: object; answer: Answer }[] = [];
          let created = 0;
          for (const [i, next] of actions.entries()) {
            if (next.kind === 'invalid') {
              expect((await create(siteId, { consumer: [''] }, { 'Idempotency-Key': `bad-${i}` })).status).toBe(400);
              continue;
            }
            const earlier = next.kind === 'replay' ? sent.filter((s) => s.answer.status === 201)[next.of] : undefined;
            if (earlier) {
              const replay = await create(siteId, earlier.body, { 'Idempotency-Key': earlier.key });
              expect(replay.status).toBe(201);
              expect(replay.body).toEqual(earlier.answer.body);
              continue;
            }
            const body = { consumer: [`p-${i}`] };
            const answer = await create(siteId, body, { 'Idempotency-Key': `key-${i}` });
            expect([201, 429]).toContain(answer.status);
            expect(answer.status).toBe(created < limit ? 201 : 429);
            if (answer.status === 201) created++;
            sent.push({ key: `key-${i}`, body, answer });
          }
          expect(await rowsOf(siteId)).toBe(created);
          expect(created).toBeLessThanOrEqual(limit);
          const { rows } = await db.query(
            'SELECT coalesce(sum(used), 0)::int AS used FROM monthly_usage WHERE site_id = $1',
            [siteId],
          );
          expect(rows[0].used).toBe(created);
        },
      ),
      { numRuns: 25 },
    );
  });
});
