import { AccountsRepository } from '#app/database';
import { DeletionType, type QuotaTake } from '#app/domain';
import { RequestRecorder } from '#app/lifecycle';
import { startDeletionJobId } from '#app/queue';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type pg from 'pg';
import { JobRelay } from '../apps/api/deletion-requests/job-relay.js';
import { createTestApi, postJson, startCreateSuite, type CreateSuite } from './support/api.js';
import { suiteConfig } from './support/test-environment.js';
import { waitFor } from './support/wait.js';

/*
 * Group commit (creates arriving together share one statement and one commit) and the outbox (a create answers
 * 201 whatever Redis does): docs/ARCHITECTURE.md, "Create path performance", "Outbox and relay".
 */
const SITE = '20762324';
const path = (site = SITE) => `/api/account/${site}/personal-data-deletion`;

describe('POST /api/account/{site_id}/personal-data-deletion: group commit and the outbox', () => {
  let suite: CreateSuite;
  let app: NestFastifyApplication;
  let db: pg.Pool;
  let post: CreateSuite['post'];

  beforeAll(async () => {
    suite = await startCreateSuite('create_batch', SITE, [{ siteId: SITE, cancellationWindowSeconds: 3600 }]);
    ({ app, db, post } = suite);
  });

  afterAll(() => suite.close());

  describe('creates arriving together (one statement and one commit for many)', () => {
    it('gives each its own row, ids, correlation id, enqueue mark and job', async () => {
      const bodies = Array.from({ length: 60 }, (_, i) =>
        i % 3 === 0
          ? { engagement: [`${SITE}${5000 + i}`, `${SITE}${6000 + i}`] }
          : i % 3 === 1
            ? { conversation: [`conv-${i}`] }
            : { consumer: [`participant-${i}`, `p.${i}`, `q_${i}`] },
      );
      const responses = await Promise.all(bodies.map((body) => post(body)));
      expect(responses.map((response) => response.status)).toEqual(bodies.map(() => 201));
      const ids = responses.map((response) => String(response.body.request_id));
      expect(new Set(ids).size).toBe(bodies.length);

      await Promise.all(ids.map((id) => app.get(JobRelay).settled(id)));
      await waitFor('every enqueue mark', async () => {
        const unmarked = await db.query(
          'SELECT count(*)::int AS n FROM deletion_requests WHERE id = ANY($1) AND enqueued_at IS NULL',
          [ids],
        );
        return unmarked.rows[0].n === 0 ? true : undefined;
      });
      const { rows } = await db.query(
        'SELECT id, deletion_type, subject_ids, delete_json, correlation_id, enqueued_at FROM deletion_requests WHERE id = ANY($1)',
        [ids],
      );
      const byId = new Map(rows.map((row) => [String(row.id), row]));
      for (const [i, response] of responses.entries()) {
        const [type, subjects] = Object.entries(bodies[i])[0];
        expect(response.body.delete_json).toBe(JSON.stringify(bodies[i]));
        expect(byId.get(ids[i])).toMatchObject({
          deletion_type: type,
          subject_ids: subjects,
          delete_json: JSON.stringify(bodies[i]),
          correlation_id: response.headers['x-request-id'],
          enqueued_at: expect.any(Date),
        });
        const job = await suite.queue.getJob(startDeletionJobId(ids[i]));
        expect(job?.data).toEqual({ requestId: ids[i], siteId: SITE, correlationId: response.headers['x-request-id'] });
      }
    });

    it('refuses, within one batch, exactly the creates whose quota slot is full', async () => {
      const site = 'batch_slots';
      await app.get(AccountsRepository).upsert({ siteId: site, monthlyQuota: 3 });
      const recorder = app.get(RequestRecorder);
      const month = new Date(Date.UTC(2031, 0, 1));
      const create = (i: number, take: QuotaTake) =>
        recorder.record(
          {
            siteId: site,
            deletionType: DeletionType.Consumer,
            subjectIds: [`try-${i}`],
            deleteJson: JSON.stringify({ consumer: [`try-${i}`] }),
            requestedBy: 'batch-test',
            requestTime: new Date(),
            finalAt: new Date(Date.now() + 3600_000),
            correlationId: `corr-${i}`,
          },
          take,
        );
      // The first of four creates of another month takes the one statement in flight; the rest queue up and share batches.
      const occupiers = [0, 1, 2, 3].map((slot) =>
        create(100 + slot, { month: new Date(Date.UTC(2031, 1, 1)), slot, cap: 1 }),
      );
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => create(i, { month, slot: i % 3, cap: 1 })),
      );
      expect((await Promise.all(occupiers)).every(Boolean)).toBe(true);

      const taken = answers.flatMap((answer, i) => (answer ? [{ answer, i }] : []));
      // One per slot. Batches lock slots in one order, so the batch that takes the first slot takes all three:
      // the winners share a statement (the month's use they see is 3), and every other create finds its slot full.
      expect(taken.map(({ i }) => i % 3)).toEqual([0, 1, 2]);
      for (const { answer, i } of taken) {
        expect(answer.request).toMatchObject({ subjectIds: [`try-${i}`], correlationId: `corr-${i}`, siteId: site });
        expect(answer.monthUsed).toBe(3);
      }
      const { rows } = await db.query(
        `SELECT (SELECT count(*)::int FROM deletion_requests WHERE site_id = $1) AS requests,
                (SELECT sum(used)::int FROM monthly_usage WHERE site_id = $1 AND month = $2) AS used`,
        [site, month],
      );
      expect(rows[0]).toEqual({ requests: 7, used: 3 });
    });
  });

  describe('with Redis unreachable', () => {
    let offline: NestFastifyApplication;

    beforeAll(async () => {
      offline = await createTestApi(
        suiteConfig('create_batch', { REDIS_URL: 'redis://127.0.0.1:1', ENQUEUE_TIMEOUT_MS: '300' }),
      );
    });

    afterAll(async () => {
      await offline.close();
    });

    it('still answers 201 and leaves the row marked not-enqueued for the reconciler', async () => {
      const response = await postJson(offline, path(), suite.auth, {
        conversation: ['conv-while-redis-is-down'],
      }).expect(201);
      // The relay to Redis follows the answer: once it has given up, the row is left to the reconciler.
      await offline.get(JobRelay).settled(String(response.body.request_id));
      const { rows } = await db.query('SELECT enqueued_at, status FROM deletion_requests WHERE id = $1', [
        response.body.request_id,
      ]);
      expect(rows[0]).toEqual({ enqueued_at: null, status: 'NOT_STARTED' });
    });
  });
});
