import type { AppConfig } from '#app/config';
import { AccountsRepository } from '#app/database';
import { RequestLifecycle } from '#app/lifecycle';
import { MASK } from '#app/stores';
import { JobName, startDeletionJobId } from '#app/queue';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type pg from 'pg';
import { startApiSuite, type ApiSuite } from './support/api.js';
import { call, listen, type Answer } from './support/http.js';
import { runCli, startApp, stopApp, type AppProcess } from './support/processes.js';
import { storeProgress, waitForStatus } from './support/requests.js';
import { TestClock } from './support/test-clock.js';
import { sleep, waitFor } from './support/wait.js';
import { DOCUMENTED_KEYS } from './support/documented-keys.js';
import { bearer } from './support/tokens.js';

const SITE = '5551234';
const OTHER = '7770000';
const QUICK = 'quick_site';
const PAGED = 'paged_site';

// The OpenAPI description's tests are in openapi.e2e-spec.ts.
describe('cancel, get and list deletion requests', () => {
  let suite: ApiSuite;
  let config: AppConfig;
  let app: NestFastifyApplication;
  let base: string;
  let db: pg.Pool;
  let queue: Queue;
  const clock = new TestClock();

  const url = (site: string, rest = '') => `${base}/api/account/${site}/personal-data-deletion${rest}`;
  const auth = async (site: string, permissions = ['read', 'write'], user = 'Mike') => ({
    Authorization: await bearer(site, { permissions, user }),
  });
  const create = async (site: string, body: object): Promise<Answer> =>
    call(url(site), { method: 'POST', headers: await auth(site), json: body });
  const cancel = async (site: string, id: number | string, user = 'Anna'): Promise<Answer> =>
    call(url(site, `/${id}/cancel`), { method: 'POST', headers: await auth(site, ['write'], user) });
  const get = async (site: string, rest: string): Promise<Answer> =>
    call(url(site, rest), { headers: await auth(site, ['read']) });

  beforeAll(async () => {
    suite = await startApiSuite(
      'lifecycle',
      [
        { siteId: SITE, cancellationWindowSeconds: 3600, monthlyQuota: 1000 },
        { siteId: OTHER, cancellationWindowSeconds: 3600 },
        { siteId: QUICK, cancellationWindowSeconds: 2, monthlyQuota: 1000 },
        { siteId: PAGED, cancellationWindowSeconds: 3600, monthlyQuota: 1000 },
      ],
      { settings: { RECONCILE_INTERVAL_MS: '1000' }, stores: true, api: { clock } },
    );
    ({ config, app, db, queue } = suite);
    base = await listen(app);
  });

  afterAll(() => suite.close());

  beforeEach(() => {
    clock.at = new Date();
  });

  describe('cancel', () => {
    it('cancels inside the window: 200 with a one-element array, the job removed', async () => {
      const created = await create(SITE, { consumer: ['c-1'] });
      const id = created.body.request_id;
      await waitFor('the relayed job', async () => (await queue.getJob(startDeletionJobId(String(id)))) ?? undefined);
      const answer = await cancel(SITE, id);
      expect(answer.status).toBe(200);
      expect(answer.body).toHaveLength(1);
      expect(answer.body[0]).toMatchObject({
        request_id: id,
        is_canceled: true,
        cancelled_by: 'Anna',
        cancel_timestamp: clock.at.toISOString(),
        status: 'CANCELED',
        requested_by: 'Mike',
      });
      expect(await queue.getJob(startDeletionJobId(String(id)))).toBeUndefined();
    });

    it('answers a second cancel with the same record, unchanged', async () => {
      const id = (await create(SITE, { consumer: ['c-2'] })).body.request_id;
      const first = await cancel(SITE, id, 'Anna');
      clock.at = new Date(clock.at.getTime() + 1000);
      const second = await cancel(SITE, id, 'Bob');
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
    });

    it('answers 409 once the window has closed', async () => {
      const id = (await create(SITE, { consumer: ['c-3'] })).body.request_id;
      clock.at = new Date(clock.at.getTime() + 3600 * 1000);
      const answer = await cancel(SITE, id);
      expect(answer).toMatchObject({ status: 409, body: { statusCode: 409, error: 'Conflict' } });
      expect(answer.body.message).toMatch(/is final \(NOT_STARTED\) since .* can no longer be canceled/);
    });

    it.each(['IN_PROGRESS', 'DONE', 'FAILED'])('answers 409 for a request %s', async (status) => {
      const id = (await create(SITE, { consumer: [`c-${status}`] })).body.request_id;
      await db.query('UPDATE deletion_requests SET status = $2 WHERE id = $1', [id, status]);
      const answer = await cancel(SITE, id);
      expect(answer.status).toBe(409);
      expect(answer.body.message).toContain(status);
    });

    it("answers 404 alike for an unknown id and for another account's id, and 400 for a non-numeric id", async () => {
      const theirs = (await create(OTHER, { consumer: ['theirs'] })).body.request_id;
      const unknown = await cancel(SITE, 987654321);
      const foreign = await cancel(SITE, theirs);
      expect(unknown.status).toBe(404);
      expect(foreign.status).toBe(404);
      expect(foreign.body.message.replace(String(theirs), 'N')).toBe(unknown.body.message.replace('987654321', 'N'));
      expect((await cancel(SITE, 'abc')).status).toBe(400);
      expect((await get(SITE, '/0')).status).toBe(400);
    });

    it('settles every race between a cancel and the end of the window in the database: one winner, never both', async () => {
      const lifecycle = app.get(RequestLifecycle);
      for (let round = 0; round < 40; round++) {
        clock.at = new Date();
        const created = await create(SITE, { consumer: [`race-${round}`] });
        const finalAt = new Date(created.body.final_at);
        // The API's clock a millisecond inside the window, the worker's at its end: both sides may act.
        clock.at = new Date(finalAt.getTime() - 1);
        const [canceled, started] = await Promise.all([
          cancel(SITE, created.body.request_id),
          lifecycle.start(String(created.body.request_id), finalAt, 'system:test'),
        ]);
        const { rows } = await db.query('SELECT status, is_canceled FROM deletion_requests WHERE id = $1', [
          created.body.request_id,
        ]);
        if (canceled.status === 200) {
          expect(started).toBe(false);
          expect(rows[0]).toEqual({ status: 'CANCELED', is_canceled: true });
        } else {
          expect(canceled.status).toBe(409);
          expect(started).toBe(true);
          expect(rows[0]).toEqual({ status: 'IN_PROGRESS', is_canceled: false });
        }
      }
    });

    it('never touches a store for a request canceled inside its window, even with a worker running', async () => {
      const worker: AppProcess = startApp('worker', 'lifecycle-worker', config);
      try {
        const seeded = JSON.parse(await runCli(config, ['stores', 'seed', '--site-id', QUICK, '--consumers', '2'])) as {
          consumer: string[];
        };
        const kept = (await create(QUICK, { consumer: [seeded.consumer[0]] })).body.request_id;
        const dropped = (await create(QUICK, { consumer: [seeded.consumer[1]] })).body.request_id;
        expect((await cancel(QUICK, dropped)).status).toBe(200);
        // The cancel removed its job; one that fires anyway (re-added here) must see the cancel and do nothing.
        const stray = await queue.add(
          JobName.StartDeletion,
          { requestId: String(dropped) },
          { jobId: startDeletionJobId(String(dropped)) },
        );
        await waitFor('the stray job to run', async () =>
          (await stray.getState()) === 'completed' ? true : undefined,
        );
        expect(stray.returnvalue ?? (await queue.getJob(stray.id!))?.returnvalue).toBe('skipped');
        await waitForStatus(db, kept, ['DONE']);
        await sleep(1500);
        const { rows } = await db.query(
          'SELECT consumer_id, email FROM consumer.consumer_profiles WHERE consumer_id = ANY($1)',
          [seeded.consumer],
        );
        const email = Object.fromEntries(rows.map((row) => [row.consumer_id, row.email]));
        expect(email[seeded.consumer[0]]).toBe(MASK);
        expect(email[seeded.consumer[1]]).toMatch(/@example\.com$/);
        expect(await storeProgress(db, dropped)).toEqual([]);
        expect((await db.query('SELECT status FROM deletion_requests WHERE id = $1', [dropped])).rows[0].status).toBe(
          'CANCELED',
        );

        const detail = await get(QUICK, `/${kept}`);
        expect(detail.status).toBe(200);
        expect(detail.body).toMatchObject({ request_id: kept, status: 'DONE', completed_at: expect.any(String) });
        expect(detail.body.stores).toEqual([
          {
            store: 'consumer',
            status: 'done',
            matched: 1,
            erased: 1,
            not_found: 0,
            deferred: 0,
            attempts: 1,
            last_error: null,
            started_at: expect.any(String),
            finished_at: expect.any(String),
            verified_rows: 1,
            verified_at: expect.any(String),
          },
        ]);
      } finally {
        await stopApp(worker);
      }
    });
  });

  describe('get one', () => {
    it('answers the documented keys, status, final_at, completed_at and empty stores and replays lists before the window ends', async () => {
      const id = (await create(SITE, { conversation: ['conv-9'] })).body.request_id;
      const answer = await get(SITE, `/${id}`);
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body)).toEqual([
        ...DOCUMENTED_KEYS,
        'status',
        'final_at',
        'completed_at',
        'stores',
        'replays',
      ]);
      expect(answer.body).toMatchObject({
        request_id: id,
        status: 'NOT_STARTED',
        completed_at: null,
        stores: [],
        replays: [],
      });
    });

    it("answers 404 for another account's request and 403 for a write-only token", async () => {
      const theirs = (await create(OTHER, { consumer: ['x'] })).body.request_id;
      expect((await get(SITE, `/${theirs}`)).status).toBe(404);
      const writeOnly = await call(url(SITE, `/${theirs}`), { headers: await auth(SITE, ['write']) });
      expect(writeOnly.status).toBe(403);
    });
  });

  describe('list', () => {
    it('pages over 250 requests newest first with no duplicates and no gaps, stable under inserts between pages', async () => {
      const created: number[] = [];
      for (let i = 0; i < 250; i++) created.push((await create(PAGED, { consumer: [`p-${i}`] })).body.request_id);
      const seen: number[] = [];
      let next: string | undefined = url(PAGED, '?limit=40');
      let pages = 0;
      while (next) {
        const answer = await call(next, { headers: await auth(PAGED, ['read']) });
        expect(answer.status).toBe(200);
        expect(Array.isArray(answer.body)).toBe(true);
        seen.push(...answer.body.map((record: { request_id: number }) => record.request_id));
        if (pages++ === 1) await create(PAGED, { consumer: ['inserted-between-pages'] });
        const link = answer.headers.get('link');
        next = link ? `${base}${/^<([^>]+)>; rel="next"$/.exec(link)![1]}` : undefined;
      }
      expect(seen).toEqual([...created].reverse());
      expect(pages).toBe(7);
    });

    it('filters by status and by UTC day, inclusive', async () => {
      const site = 'filter_site';
      await app.get(AccountsRepository).upsert({ siteId: site, cancellationWindowSeconds: 3600 });
      clock.at = new Date('2026-03-01T23:59:59.999Z');
      const march1 = (await create(site, { consumer: ['a'] })).body.request_id;
      clock.at = new Date('2026-03-02T00:00:00.000Z');
      const march2 = (await create(site, { consumer: ['b'] })).body.request_id;
      clock.at = new Date('2026-03-03T12:00:00.000Z');
      const march3 = (await create(site, { consumer: ['c'] })).body.request_id;
      await cancel(site, march3);
      const ids = (answer: Answer) => answer.body.map((record: { request_id: number }) => record.request_id);
      expect(ids(await get(site, '?fromDate=2026-03-02&toDate=2026-03-03'))).toEqual([march3, march2]);
      expect(ids(await get(site, '?toDate=2026-03-01'))).toEqual([march1]);
      expect(ids(await get(site, '?fromDate=2026-03-01&toDate=2026-03-01'))).toEqual([march1]);
      expect(ids(await get(site, '?status=CANCELED'))).toEqual([march3]);
      expect(ids(await get(site, '?status=NOT_STARTED&fromDate=2026-03-02'))).toEqual([march2]);
    });

    it.each([
      ['?fromDate=2026-13-01', /fromDate must be a date in yyyy-mm-dd format/],
      ['?toDate=yesterday', /toDate must be a date/],
      ['?fromDate=2026-02-30', /not a calendar date/],
      ['?fromDate=2026-03-02&toDate=2026-03-01', /fromDate 2026-03-02 is after toDate 2026-03-01/],
      ['?status=DELETED', /status must be one of NOT_STARTED, IN_PROGRESS, DONE, CANCELED, FAILED/],
      ['?limit=0', /limit must be a whole number from 1 to 100/],
      ['?limit=101', /limit must be a whole number from 1 to 100/],
      ['?limit=ten', /limit must be a whole number from 1 to 100/],
      ['?sort=asc', /unknown key "sort"/],
      ['?cursor=9999999999999999999', /cursor must come from a Link header/],
    ])('rejects %s with 400', async (query, message) => {
      const answer = await get(SITE, query);
      expect(answer).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request' } });
      expect(answer.body.message).toMatch(message);
    });

    it("only ever lists the caller's account", async () => {
      const answer = await get(OTHER, '?limit=100');
      expect(answer.body.every((record: { siteid: string }) => record.siteid === OTHER)).toBe(true);
    });
  });
});
