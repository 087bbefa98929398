import type { AppConfig } from '#app/config';
import { StoreName } from '#app/domain';
import { MASK, STORE_DEFINITIONS, storeDataSource, StorePurger } from '#app/stores';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type pg from 'pg';
import { postJson, startTestApi } from './support/api.js';
import { seedStores, type Seeded } from './support/cli-fixtures.js';
import { runCli, startApp, stopApp, type AppProcess } from './support/processes.js';
import { storeProgress, waitForStatus } from './support/requests.js';
import { expectMasked, personalStrings, rowsOf, scanStores } from './support/store-scan.js';
import { databasePool, flushQueues, quickPurges } from './support/test-environment.js';
import { bearer } from './support/tokens.js';
import { waitFor } from './support/wait.js';

const SITE = '20762324';
const SLOW_SITE = 'slow_site';

describe('purge: the worker erases what was asked, and only that', () => {
  let config: AppConfig;
  let app: NestFastifyApplication;
  let db: pg.Pool;
  let worker: AppProcess;

  const seed = (args: string[], site = SITE): Promise<Seeded> => seedStores(config, site, args);

  const create = async (body: object, site = SITE): Promise<number> => {
    const authorization = await bearer(site);
    const response = await postJson(app, `/api/account/${site}/personal-data-deletion`, authorization, body).expect(
      201,
    );
    return response.body.request_id as number;
  };

  beforeAll(async () => {
    ({ config, app } = await startTestApi(
      'purge',
      [
        { siteId: SITE, cancellationWindowSeconds: 0, legacyTicketing: true },
        { siteId: SLOW_SITE, cancellationWindowSeconds: 3 },
      ],
      {
        settings: { ...quickPurges(), PURGE_ATTEMPTS: '3', PURGE_CHUNK_SIZE: '4', DEFER_RETRY_SECONDS: '1' },
        stores: true,
      },
    ));
    db = databasePool(config);
    worker = startApp('worker', 'purge-worker', config);
  });

  afterAll(async () => {
    await stopApp(worker);
    await db.end();
    await app.close();
  });

  it('erases every deletion type from its store, leaving every other subject untouched', async () => {
    const seeded = await seed(['--engagements', '8', '--conversations', '8', '--consumers', '8', '--tickets', '8']);
    const targets: Seeded = {
      engagement: seeded.engagement.slice(0, 5),
      conversation: seeded.conversation.slice(0, 5),
      consumer: seeded.consumer.slice(0, 5),
      ticketing: seeded.ticketing.slice(0, 5),
    };
    const targetSet = new Set(Object.values(targets).flat());
    const before = await scanStores(db);
    const strings = personalStrings(before, targetSet);
    expect(strings.length).toBeGreaterThan(50);

    const ids = await Promise.all([
      create({ engagement: [...targets.engagement, `${SITE}1`] }),
      create({ conversation: [...targets.conversation, 'no-such-conversation'] }),
      create({ consumer: [...targets.consumer, 'no-such-consumer'] }),
      create({ ticketing: [...targets.ticketing, '999999999'] }),
    ]);
    for (const id of ids) await waitForStatus(db, id, ['DONE']);

    const after = await scanStores(db);
    const leftovers = after.flatMap((row) =>
      strings.filter((s) => row.json.includes(s)).map((s) => `${row.table}: ${s}`),
    );
    expect(leftovers).toEqual([]);
    expectMasked(after, targetSet);
    expect(rowsOf(after, (row) => !targetSet.has(row.subject))).toEqual(
      rowsOf(before, (row) => !targetSet.has(row.subject)),
    );
    // ids and row counts stay: erasure masks in place
    expect(after.filter((row) => targetSet.has(row.subject)).length).toBe(
      before.filter((row) => targetSet.has(row.subject)).length,
    );

    for (const id of ids) {
      const [progress] = await storeProgress(db, id);
      expect(progress).toMatchObject({
        status: 'done',
        matched: 5,
        erased: 5,
        not_found: 1,
        deferred: 0,
        last_error: null,
      });
    }
    const { rows } = await db.query('SELECT status, completed_at FROM deletion_requests WHERE id = ANY($1)', [ids]);
    expect(rows.every((row) => row.status === 'DONE' && row.completed_at !== null)).toBe(true);
  });

  it('leaves the same state and the same counts when a chunk is purged twice', async () => {
    const seeded = await seed(['--consumers', '3']);
    const dataSource = await storeDataSource(STORE_DEFINITIONS[StoreName.Consumer], config.DATABASE_URL).initialize();
    try {
      const purger = new StorePurger(STORE_DEFINITIONS[StoreName.Consumer], dataSource);
      const first = await purger.purge(SITE, [...seeded.consumer, 'missing']);
      const once = await scanStores(db);
      const second = await purger.purge(SITE, [...seeded.consumer, 'missing']);
      expect(second).toEqual(first);
      expect(first).toEqual({ matched: 3, erased: 3, notFound: 1, deferredIds: [] });
      expect(await scanStores(db)).toEqual(once);
    } finally {
      await dataSource.destroy();
    }
  });

  it('defers an open conversation, then erases it once it closes', async () => {
    const seeded = await seed(['--conversations', '2', '--open-ratio', '1']);
    const id = await create({ conversation: seeded.conversation });
    await waitFor('the conversations to be deferred', async () => {
      const [progress] = await storeProgress(db, id);
      return progress?.deferred === 2 ? progress : undefined;
    });
    const { rows: untouched } = await db.query(
      `SELECT count(*)::int AS n FROM messaging.messages WHERE conversation_id = ANY($1) AND text = $2`,
      [seeded.conversation, MASK],
    );
    expect(untouched[0].n).toBe(0);
    expect((await db.query('SELECT status FROM deletion_requests WHERE id = $1', [id])).rows[0].status).toBe(
      'IN_PROGRESS',
    );

    await db.query(
      `UPDATE messaging.conversations SET status = 'closed', closed_at = now() WHERE conversation_id = ANY($1)`,
      [seeded.conversation],
    );
    await waitForStatus(db, id, ['DONE']);
    expectMasked(await scanStores(db), new Set(seeded.conversation));
    expect((await storeProgress(db, id))[0]).toMatchObject({ erased: 2, deferred: 0 });
  });

  it('retries a failing store, reports FAILED with the error, and completes after a re-drive', async () => {
    const seeded = await seed(['--engagements', '2']);
    await db.query('ALTER TABLE chat.survey_answers RENAME TO survey_answers_broken');
    let id: number;
    try {
      id = await create({ engagement: seeded.engagement });
      await waitForStatus(db, id, ['FAILED']);
    } finally {
      await db.query('ALTER TABLE chat.survey_answers_broken RENAME TO survey_answers');
    }
    const [progress] = await storeProgress(db, id);
    expect(progress).toMatchObject({ store: 'chat', status: 'failed', attempts: 3 });
    expect(progress.last_error).toMatch(/survey_answers/);
    // one transaction per chunk: the failed chunk erased nothing
    const { rows } = await db.query('SELECT visitor_email FROM chat.engagements WHERE engagement_id = ANY($1)', [
      seeded.engagement,
    ]);
    expect(rows.every((row) => row.visitor_email !== MASK)).toBe(true);

    const redriven = JSON.parse(await runCli(config, ['requests', 'redrive', '--request-id', String(id)]));
    expect(redriven).toMatchObject({ request_id: id, status: 'IN_PROGRESS', run: 2, stores: ['chat'] });
    await waitForStatus(db, id, ['DONE']);
    expectMasked(await scanStores(db), new Set(seeded.engagement));
    await expect(runCli(config, ['requests', 'redrive', '--request-id', String(id)])).rejects.toThrow(
      /only FAILED requests/,
    );
  });

  it('restores NOT_STARTED requests after the queues are wiped, and completes them', async () => {
    // The slow account's own consumers: a request erases only its account's subjects.
    const seeded = await seed(['--consumers', '2'], SLOW_SITE);
    const ids = [
      await create({ consumer: [seeded.consumer[0]] }, SLOW_SITE),
      await create({ consumer: [seeded.consumer[1]] }, SLOW_SITE),
    ];
    await flushQueues(config);
    for (const id of ids) await waitForStatus(db, id, ['DONE']);
    expectMasked(await scanStores(db), new Set(seeded.consumer));
  });

  it('finishes a purge whose worker was killed in the middle of it, with the stores as an undisturbed run leaves them', async () => {
    const seeded = await seed(['--tickets', '3']);
    const before = await scanStores(db);
    // Hold the tickets' rows so the purge blocks inside its transaction.
    const blocker = await db.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM ticketing.tickets WHERE ticket_id = ANY($1) FOR UPDATE', [seeded.ticketing]);
    let id: number;
    try {
      id = await create({ ticketing: seeded.ticketing });
      await waitFor('the purge to be under way', async () =>
        (await storeProgress(db, id))[0]?.status === 'processing' ? true : undefined,
      );
      worker.child.kill('SIGKILL');
      await worker.exited;
    } finally {
      await blocker.query('COMMIT');
      blocker.release();
    }
    worker = startApp('worker', 'purge-worker-2', config);
    await waitForStatus(db, id, ['DONE']);
    const after = await scanStores(db);
    const targets = new Set(seeded.ticketing);
    expectMasked(after, targets);
    expect(rowsOf(after, (row) => !targets.has(row.subject) && row.table.startsWith('ticketing'))).toEqual(
      rowsOf(before, (row) => !targets.has(row.subject) && row.table.startsWith('ticketing')),
    );
    expect((await storeProgress(db, id))[0]).toMatchObject({ matched: 3, erased: 3, not_found: 0 });
  });

  it('shares the work between a worker for purge-chat only and a worker for the rest', async () => {
    await stopApp(worker);
    const chatOnly = startApp('worker', 'purge-worker-chat', config, { WORKER_QUEUES: 'purge-chat', WORKER_PORT: '0' });
    worker = startApp('worker', 'purge-worker-rest', config, {
      WORKER_QUEUES: 'deletion-orchestrator,purge-messaging,purge-consumer,purge-ticketing',
    });
    try {
      const seeded = await seed(['--engagements', '2', '--conversations', '2']);
      const ids = [
        await create({ engagement: seeded.engagement }),
        await create({ conversation: seeded.conversation }),
      ];
      for (const id of ids) await waitForStatus(db, id, ['DONE']);
      expectMasked(await scanStores(db), new Set([...seeded.engagement, ...seeded.conversation]));
    } finally {
      await stopApp(chatOnly);
    }
  });
});
