import type { AppConfig } from '#app/config';
import { migrateServiceDatabase } from '#app/database';
import { migrateStores } from '#app/stores';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { FaultTimings } from '../support/fault-timings.js';
import { call, type Answer } from '../support/http.js';
import { freePort } from '../support/ports.js';
import { PrivatePostgres, PrivateRedis } from '../support/private-services.js';
import { startApp, stopApp, type AppProcess } from '../support/processes.js';
import { personalStrings, rowsOf, scanStores, type StoreRow } from '../support/store-scan.js';
import { quickPurges, suiteConfig } from '../support/test-environment.js';
import { bearer } from '../support/tokens.js';
import { sleep, waitFor } from '../support/wait.js';
import { createAccount, seedStores } from '../support/cli-fixtures.js';
import { startApi, waitUntilReady } from '../support/ops-apps.js';
import { expectSettled, holdRows, purgeUnderWay } from '../support/drill-kit.js';

/*
 * Fault drills against the real API and worker processes, on a PostgreSQL and a Redis of the suite's own so a
 * drill may kill, flush and restart them. Each drill ends by checking the database and the stores: every
 * accepted request reaches its final state once, its subjects are erased, and nothing else changed. When the
 * faults strike and how long they last are drawn from a seed (`FaultTimings`): `DRILL_SEED=<n>` replays a run.
 */

const NOW = 'now_site';
const LATER = 'later_site';
type Ids = Record<'engagement' | 'conversation' | 'consumer' | 'ticketing', string[]>;

const timings = new FaultTimings();

describe(`reliability drills (DRILL_SEED=${timings.seed})`, () => {
  const [postgresPort, redisPort] = [freePort(), freePort()];
  let postgres: PrivatePostgres, redis: PrivateRedis;
  let config: AppConfig, db: pg.Pool, apiBase: string;
  let api: AppProcess, worker: AppProcess;
  let control: Ids, controlRows: StoreRow[];

  const seed = (args: string[], site = NOW): Promise<Ids> => seedStores(config, site, args);

  const create = async (site: string, body: object, key?: string, base = apiBase): Promise<Answer> =>
    call(`${base}/api/account/${site}/personal-data-deletion`, {
      method: 'POST',
      headers: { Authorization: await bearer(site), ...(key ? { 'Idempotency-Key': key } : {}) },
      json: body,
    }).catch((error: Error) => ({ status: 0, body: { message: error.message }, headers: new Headers() }));

  const query = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;

  beforeAll(async () => {
    postgres = new PrivatePostgres(await postgresPort);
    redis = new PrivateRedis(await redisPort);
    await postgres.init();
    await redis.start();
    const url = await postgres.createDatabase('pdd_reliability');
    config = suiteConfig('reliability', {
      DATABASE_URL: url,
      REDIS_URL: redis.url,
      ...quickPurges(2000, 300),
      PURGE_CHUNK_SIZE: '10',
      ENQUEUE_TIMEOUT_MS: '500',
      LOG_LEVEL: 'info',
    });
    await migrateServiceDatabase(config.DATABASE_URL);
    await migrateStores(config);
    db = new pg.Pool({ connectionString: config.DATABASE_URL, max: 4 });
    db.on('error', () => undefined);
    await createAccount(config, NOW, { windowSeconds: 0, monthlyQuota: 100_000, legacyTicketing: true });
    await createAccount(config, LATER, { windowSeconds: 4, monthlyQuota: 100_000 });
    control = await seed(['--engagements', '5', '--conversations', '5', '--consumers', '5', '--tickets', '5']);
    controlRows = await scanStores(db);
    ({ api, base: apiBase } = await startApi('reliability-api', config));
    worker = startApp('worker', 'reliability-worker-0', config);
    await waitUntilReady(apiBase);
  });

  afterAll(async () => {
    await Promise.all([stopApp(api), stopApp(worker)]);
    await db?.end();
    await redis?.kill();
    postgres?.destroy();
  });

  it('an API that dies between the commit and the enqueue loses nothing, and retries create nothing twice', async () => {
    const seeded = await seed(['--consumers', '6']);
    const port = await freePort();
    // Its Redis never answers: every create commits its row, then cannot enqueue. It is killed at a drawn
    // moment: after every answer, or while some creates are still on their way (answered or not).
    const doomed = startApp('api', 'reliability-api-doomed', config, {
      PORT: String(port),
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
      ENQUEUE_TIMEOUT_MS: String(timings.between('crash.enqueue-timeout', 50, 1000)),
    });
    const doomedBase = `http://127.0.0.1:${port}`;
    await waitFor('the doomed API', async () =>
      (await call(`${doomedBase}/health/live`).catch(() => undefined))?.status === 200 ? true : undefined,
    );
    const killAfterAnswers = timings.between('crash.after-answers', 0, 1) === 1;
    const creates = Promise.all(
      seeded.consumer.map(async (id, i) => {
        await sleep(timings.between(`crash.create-${i}`, 0, 150));
        return create(NOW, { consumer: [id] }, `crash-${i}`, doomedBase);
      }),
    );
    if (killAfterAnswers) await creates;
    else await sleep(timings.between('crash.kill-at', 0, 150));
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    const answered = (await creates).filter((answer) => answer.status === 201);
    if (killAfterAnswers) expect(answered).toHaveLength(seeded.consumer.length);
    // What was answered is committed, and (Redis never answered) not marked enqueued.
    expect(
      await query(`SELECT count(*)::int AS n FROM deletion_requests WHERE id = ANY($1) AND enqueued_at IS NULL`, [
        answered.map((a) => a.body.request_id),
      ]),
    ).toEqual([{ n: answered.length }]);

    // The brand's system retries every create with the same key: each answered one comes back the same.
    const retried = await Promise.all(seeded.consumer.map((id, i) => create(NOW, { consumer: [id] }, `crash-${i}`)));
    expect(retried.map((answer) => answer.status)).toEqual(seeded.consumer.map(() => 201));
    const retriedIds = retried.map((answer) => answer.body.request_id as number);
    for (const answer of answered) expect(retriedIds).toContain(answer.body.request_id);
    // One request per subject, however the crash cut the first attempts.
    expect(
      await query(`SELECT count(*)::int AS n FROM deletion_requests WHERE subject_ids && $1::text[]`, [
        seeded.consumer,
      ]),
    ).toEqual([{ n: seeded.consumer.length }]);
    await expectSettled(db, retriedIds, seeded.consumer);
  });

  it('Redis FLUSHALL with requests pending and in progress: the reconciler restores them and they complete', async () => {
    const seeded = await seed(['--engagements', '3']);
    // Pending: still inside their window. In progress: a purge held mid-transaction.
    const later = (await seed(['--consumers', '2'], LATER)).consumer;
    const laterIds = await Promise.all(
      later.map(async (id) => (await create(LATER, { consumer: [id] })).body.request_id as number),
    );
    const release = await holdRows(config, 'chat.engagements', 'engagement_id', seeded.engagement);
    const active = (await create(NOW, { engagement: seeded.engagement })).body.request_id as number;
    try {
      await purgeUnderWay(db, active);
      await sleep(timings.between('flush.at', 0, 1500));
      await redis.flushAll();
    } finally {
      await release();
    }
    await expectSettled(db, [...laterIds, active], [...later, ...seeded.engagement]);
  });

  it('Redis stopped and restarted with delayed and active jobs while creates keep arriving: every create answers 201, nothing is lost', async () => {
    const seeded = await seed(['--conversations', String(1 + timings.between('redis.creates', 3, 12))]);
    const [activeSubject, ...arriving] = seeded.conversation;
    // The later account's own conversation: a request erases only its account's subjects.
    const [delayedSubject] = (await seed(['--conversations', '1'], LATER)).conversation;
    const delayed = (await create(LATER, { conversation: [delayedSubject] })).body.request_id as number;
    const release = await holdRows(config, 'messaging.conversations', 'conversation_id', [activeSubject]);
    const active = (await create(NOW, { conversation: [activeSubject] })).body.request_id as number;
    const answers: Answer[] = [];
    try {
      await purgeUnderWay(db, active);
      await sleep(timings.between('redis.stop-at', 0, 500));
      await redis.kill();
      const gap = timings.between('redis.gap', 20, 300);
      for (const subject of arriving) {
        answers.push(await create(NOW, { conversation: [subject] }));
        await sleep(gap);
      }
      await redis.start();
    } finally {
      await release();
    }
    expect(answers.map((answer) => answer.status)).toEqual(arriving.map(() => 201));
    await expectSettled(
      db,
      [delayed, active, ...answers.map((answer) => answer.body.request_id as number)],
      [...seeded.conversation, delayedSubject],
    );
  });

  it('PostgreSQL restarted under load: 503 while it is down, then recovery without restarting the apps', async () => {
    const seeded = await seed(['--tickets', '300']);
    const answers: Answer[] = [];
    const gap = timings.between('postgres.gap', 25, 120);
    let restarted = false;
    let afterRestart = 0;
    const load = (async () => {
      for (const subject of seeded.ticketing) {
        const sentAfterRestart = restarted;
        answers.push(await create(NOW, { ticketing: [subject] }));
        if (sentAfterRestart && ++afterRestart === 5) return;
        await sleep(gap);
      }
      throw new Error('the load ran out of subjects before five creates after the restart');
    })();
    await sleep(timings.between('postgres.stop-at', 200, 1500));
    postgres.stop('immediate');
    await sleep(timings.between('postgres.down', 500, 3000));
    await postgres.start();
    restarted = true;
    await load;
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => status === 201 || status === 503)).toBe(true);
    expect(statuses).toContain(503);
    expect(statuses.slice(-5)).toEqual([201, 201, 201, 201, 201]);
    const unavailable = answers.filter((a) => a.status === 503);
    for (const answer of unavailable) {
      expect(answer.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'the service database is unavailable; retry later',
      });
    }
    // The API says why, on a line that names the request.
    const causes = readFileSync(api.logFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('database unavailable'))
      .map((line) => JSON.parse(line) as { reqId?: string; site_id?: string; level: number });
    const firstReqId = unavailable[0].headers.get('x-request-id');
    expect(causes).toContainEqual(expect.objectContaining({ reqId: firstReqId, site_id: NOW, level: 40 }));
    const accepted = answers.filter((answer) => answer.status === 201);
    const acceptedSubjects = accepted.map(
      (answer) => (JSON.parse(answer.body.delete_json) as { ticketing: string[] }).ticketing[0],
    );
    await expectSettled(
      db,
      accepted.map((answer) => answer.body.request_id),
      acceptedSubjects,
    );
  });

  it('kill -9 of a worker in the middle of a purge, five times in a row: another worker finishes each', async () => {
    for (let round = 1; round <= 5; round++) {
      const seeded = await seed(['--consumers', '2']);
      const release = await holdRows(config, 'consumer.consumer_profiles', 'consumer_id', seeded.consumer);
      const id = (await create(NOW, { consumer: seeded.consumer })).body.request_id as number;
      try {
        await purgeUnderWay(db, id);
        await sleep(timings.between(`worker-kill.${round}.at`, 0, 500));
        worker.child.kill('SIGKILL');
        await worker.exited;
        worker = startApp('worker', `reliability-worker-${round}`, config);
      } finally {
        await release();
      }
      await expectSettled(db, [id], seeded.consumer);
    }
  });

  it('a store failing for a while: its chunk retries, then completes once the store recovers', async () => {
    const seeded = await seed(['--engagements', '3']);
    const failures = timings.between('store.failures', 1, 4);
    await db.query('ALTER TABLE chat.transcript_lines RENAME TO transcript_lines_unavailable');
    let id: number;
    try {
      id = (await create(NOW, { engagement: seeded.engagement })).body.request_id as number;
      await waitFor(`${failures} failed attempts`, async () => {
        const rows = await query(`SELECT attempts, last_error FROM deletion_request_stores WHERE request_id = $1`, [
          id,
        ]);
        return rows[0]?.attempts >= failures && rows[0]?.last_error ? true : undefined;
      });
    } finally {
      await db.query('ALTER TABLE chat.transcript_lines_unavailable RENAME TO transcript_lines');
    }
    await expectSettled(db, [id], seeded.engagement);
    const [store] = await query(`SELECT attempts, status FROM deletion_request_stores WHERE request_id = $1`, [id]);
    expect(store.attempts).toBeGreaterThanOrEqual(failures);
  });

  it('after every drill: no request left unfinished, and no subject erased that nobody asked for', async () => {
    await waitFor(
      'every request final',
      async () => {
        const rows =
          await query(`SELECT count(*)::int AS n FROM deletion_requests WHERE status NOT IN ('DONE', 'CANCELED')
                                AND NOT (status = 'NOT_STARTED' AND final_at > now())`);
        return rows[0].n === 0 ? true : undefined;
      },
      60_000,
    );
    const rows = await query(
      `SELECT status, count(*)::int AS n FROM deletion_requests GROUP BY status ORDER BY status`,
    );
    expect(rows.filter((row) => row.status !== 'DONE' && row.status !== 'NOT_STARTED')).toEqual([]);
    const controls = new Set(Object.values(control).flat());
    expect(personalStrings(controlRows, controls).length).toBeGreaterThan(50);
    expect(rowsOf(await scanStores(db), (row) => controls.has(row.subject))).toEqual(
      rowsOf(controlRows, (row) => controls.has(row.subject)),
    );
  });
});
