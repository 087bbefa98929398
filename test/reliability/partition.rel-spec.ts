import type { AppConfig } from '#app/config';
import { poolOptions, serviceWaits } from '#app/database';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { FaultTimings } from '../support/fault-timings.js';
import { call, type Answer } from '../support/http.js';
import { createAccount, seedStores, type Seeded } from '../support/cli-fixtures.js';
import { startApi, waitUntilReady } from '../support/ops-apps.js';
import { startApp, stopApp, type AppProcess } from '../support/processes.js';
import { expectMasked, personalStrings, scanStores } from '../support/store-scan.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { databasePool, freshEnvironment, quickPurges, suiteConfig } from '../support/test-environment.js';
import { bearer } from '../support/tokens.js';
import { watchReadiness } from '../support/readiness-watch.js';
import { sleep, waitFor } from '../support/wait.js';

/*
 * Partition drills: the built API and worker reach PostgreSQL, Redis and the chat store through TCP proxies
 * that go silent (no reset, no FIN) and heal at moments drawn from the seed (`DRILL_SEED=<n>` replays a run).
 * Every wait must end: creates answer 201 or 503 by their deadline, readiness tells the truth, and after
 * healing every accepted request ends DONE with nothing left in the stores.
 */

const SITE = 'partition_site';
const DEADLINE_MS = 2000;
const PURGE_STATEMENT_MS = 2000;
const timings = new FaultTimings();

type Timed = Answer & { ms: number };
const byNumber = (a: number, b: number) => a - b;

describe(`partition drills (DRILL_SEED=${timings.seed})`, () => {
  let config: AppConfig;
  let db: pg.Pool;
  let postgres: TcpProxy;
  let redis: TcpProxy;
  let chat: TcpProxy;
  let api: AppProcess;
  let worker: AppProcess;
  let apiBase: string;
  let authorization: string;

  const seed = (args: string[]): Promise<Seeded> => seedStores(config, SITE, args);
  const query = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;

  /** One create, timed; a client-side limit well past the deadline turns a hang into status 0. */
  const create = async (body: object, key?: string): Promise<Timed> => {
    const started = performance.now();
    const answer = await call(`${apiBase}/api/account/${SITE}/personal-data-deletion`, {
      method: 'POST',
      headers: { Authorization: authorization, ...(key ? { 'Idempotency-Key': key } : {}) },
      json: body,
      signal: AbortSignal.timeout(DEADLINE_MS + 5000),
    }).catch((error: Error) => ({ status: 0, body: { message: error.message }, headers: new Headers() }));
    return { ...answer, ms: performance.now() - started };
  };

  /** Every request of these subjects ends DONE, each store row done once, and nothing personal is left. */
  const expectSettled = async (subjects: string[]) => {
    const requestsOf = () =>
      query(`SELECT id::int, status FROM deletion_requests WHERE subject_ids && $1::text[]`, [subjects]);
    await waitFor(
      `every request of ${subjects.length} subjects DONE`,
      async () => ((await requestsOf()).every((row) => row.status === 'DONE') ? true : undefined),
      60_000,
      250,
    );
    const ids = (await requestsOf()).map((row) => row.id as number);
    const stores = await query(
      `SELECT request_id::int, status FROM deletion_request_stores WHERE request_id = ANY($1)`,
      [ids],
    );
    expect(stores.map((row) => row.request_id as number).sort(byNumber)).toEqual([...ids].sort(byNumber));
    expect(stores.filter((row) => row.status !== 'done')).toEqual([]);
    expectMasked(await scanStores(db), new Set(subjects));
    return ids;
  };

  /** Statuses are 201 or 503 only, each by its deadline plus a second; a 503 has Retry-After and the common body. */
  const expectBounded = (answers: Timed[]) => {
    expect(answers.filter((answer) => answer.status !== 201 && answer.status !== 503).map((a) => a.status)).toEqual([]);
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThanOrEqual(DEADLINE_MS + 1000);
    for (const answer of answers.filter((a) => a.status === 503)) {
      expect(answer.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.any(String) });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  };

  beforeAll(async () => {
    config = suiteConfig('partition', {
      CREATE_DEADLINE_MS: String(DEADLINE_MS),
      DB_STATEMENT_TIMEOUT_MS: '1000',
      DB_QUERY_TIMEOUT_MS: '1500',
      DB_LOCK_TIMEOUT_MS: '1500',
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '3000',
      DB_CONNECT_TIMEOUT_MS: '1000',
      PURGE_STATEMENT_TIMEOUT_MS: String(PURGE_STATEMENT_MS),
      REDIS_COMMAND_TIMEOUT_MS: '500',
      READINESS_TIMEOUT_MS: '500',
      TCP_KEEPALIVE_DELAY_MS: '1000',
      ENQUEUE_TIMEOUT_MS: '500',
      ...quickPurges(3000),
      PURGE_ATTEMPTS: '12',
      PURGE_CHUNK_SIZE: '10',
      LOG_LEVEL: 'info',
    });
    await freshEnvironment(config);
    db = databasePool(config);
    db.on('error', () => undefined);
    const portOf = (url: string, fallback: number) => Number(new URL(url).port || fallback);
    postgres = await TcpProxy.start(portOf(config.DATABASE_URL, 5432));
    chat = await TcpProxy.start(portOf(config.DATABASE_URL, 5432));
    redis = await TcpProxy.start(portOf(config.REDIS_URL, 6379));
    await createAccount(config, SITE, { windowSeconds: 0, monthlyQuota: 100_000 });
    authorization = await bearer(SITE);
    // The apps go through the proxies; the suite itself (seeding, checks) reaches PostgreSQL directly.
    const through = {
      DATABASE_URL: postgres.urlFor(config.DATABASE_URL),
      REDIS_URL: redis.urlFor(config.REDIS_URL),
      STORE_CHAT_URL: chat.urlFor(config.DATABASE_URL),
    };
    ({ api, base: apiBase } = await startApi('partition-api', config, through));
    worker = startApp('worker', 'partition-worker', config, through);
    await waitUntilReady(apiBase);
  });

  afterAll(async () => {
    await Promise.all([api && stopApp(api), worker && stopApp(worker)]);
    await Promise.all([postgres?.close(), redis?.close(), chat?.close()]);
    await db?.end();
  });

  it('PostgreSQL silent under creates and purges: 201 or 503 by the deadline, readiness truthful, nothing lost', async () => {
    const subjects = (await seed(['--consumers', '400'])).consumer;
    const silenceAt = timings.between('postgres.silence-at', 200, 1200);
    const silenceFor = timings.between('postgres.silence-for', 1000, 4500);
    const gap = timings.between('postgres.gap', 20, 80);
    const readiness = watchReadiness(apiBase);
    const sent: { subject: string; key?: string; answer: Promise<Timed> }[] = [];
    let healed = false;
    const load = (async () => {
      for (const [i, subject] of subjects.entries()) {
        const key = i % 2 === 0 ? `pg-${i}` : undefined;
        sent.push({ subject, key, answer: create({ consumer: [subject] }, key) });
        if (healed && (await sent.at(-1)!.answer).status === 201) return;
        await sleep(gap);
      }
    })();
    await sleep(silenceAt);
    const silencedAt = performance.now();
    postgres.silence();
    await sleep(silenceFor);
    postgres.heal();
    healed = true;
    await load;
    const answers = await Promise.all(sent.map((one) => one.answer));
    const ready = await readiness.until200();

    expectBounded(answers);
    if (silenceFor > DEADLINE_MS + 500) expect(answers.map((a) => a.status)).toContain(503);
    const firstDown = ready.find((probe) => probe.status === 503 && probe.at > silencedAt);
    expect(firstDown?.message).toMatch(/not ready: .*postgresql is down/);
    expect(firstDown!.at - silencedAt).toBeLessThan(3000);
    expect(Math.max(...ready.map((probe) => probe.ms))).toBeLessThan(2500);
    const unavailable = answers.filter((a) => a.status === 503);
    if (unavailable.length > 0) {
      const log = readFileSync(api.logFile, 'utf8');
      const reqId = unavailable[0].headers.get('x-request-id')!;
      const lines = log.split('\n').filter((line) => line.includes(`"reqId":"${reqId}"`));
      expect(lines.some((line) => /deadline exceeded|database unavailable/.test(line))).toBe(true);
      expect(personalStrings(await scanStores(db), new Set(subjects)).filter((s) => log.includes(s))).toEqual([]);
    }

    // The brand's system retries each 503, with its key when it had one: a keyed subject gets one request.
    const retries = await Promise.all(
      sent.filter((_, i) => answers[i].status === 503).map((one) => create({ consumer: [one.subject] }, one.key)),
    );
    expect(retries.map((retry) => retry.status)).toEqual(retries.map(() => 201));
    const accepted = [...answers, ...retries].filter((a) => a.status === 201).map((a) => a.body.request_id as number);
    const sentSubjects = sent.map((one) => one.subject);
    const ids = await expectSettled(sentSubjects);
    for (const id of accepted) expect(ids).toContain(id);
    const keyed = sent.filter((one) => one.key).map((one) => one.subject);
    expect(
      await query(`SELECT count(*)::int AS n FROM deletion_requests WHERE subject_ids && $1::text[]`, [keyed]),
    ).toEqual([{ n: keyed.length }]);
  });

  it('Redis silent: creates still answer 201 in time, readiness names Redis, and every request completes', async () => {
    const subjects = (await seed(['--consumers', '30'])).consumer;
    const silenceFor = timings.between('redis.silence-for', 1000, 4500);
    const gap = timings.between('redis.gap', 20, 150);
    const readiness = watchReadiness(apiBase);
    const before = await Promise.all(subjects.slice(0, 5).map((subject) => create({ consumer: [subject] })));
    await sleep(timings.between('redis.silence-at', 0, 800));
    const silencedAt = performance.now();
    redis.silence();
    const during: Timed[] = [];
    for (const subject of subjects.slice(5)) {
      during.push(await create({ consumer: [subject] }));
      if (performance.now() - silencedAt > silenceFor) break;
      await sleep(gap);
    }
    await sleep(Math.max(0, silenceFor - (performance.now() - silencedAt)));
    redis.heal();
    const ready = await readiness.until200();

    expectBounded([...before, ...during]);
    expect([...before, ...during].map((a) => a.status)).toEqual([...before, ...during].map(() => 201));
    const firstDown = ready.find((probe) => probe.status === 503 && probe.at > silencedAt);
    expect(firstDown?.message).toMatch(/not ready: .*redis is down/);
    expect(firstDown!.at - silencedAt).toBeLessThan(3000);
    await expectSettled(subjects.slice(0, 5 + during.length));
  });

  it('the chat store silent mid-purge: the attempt fails within PURGE_STATEMENT_TIMEOUT_MS, rolled back, then completes', async () => {
    const subjects = (await seed(['--engagements', '3'])).engagement;
    // A lock held from outside keeps the purge's transaction open at its locking read, so the silence falls
    // inside it; the lock is let go once the proxy is silent, so the store answers into the silence.
    const holder = new pg.Client({ connectionString: config.DATABASE_URL });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM chat.engagements WHERE engagement_id = ANY($1) FOR UPDATE`, [subjects]);
    const id = (await create({ engagement: subjects })).body.request_id as number;
    const storeRow = async () =>
      (await query(`SELECT status, attempts, last_error FROM deletion_request_stores WHERE request_id = $1`, [id]))[0];
    await waitFor('the purge under way', async () => ((await storeRow())?.status === 'processing' ? true : undefined));
    await sleep(timings.between('store.silence-at', 0, 300));
    const silencedAt = performance.now();
    chat.silence();
    await holder.query('COMMIT');
    await holder.end();
    const failed = await waitFor('the attempt to fail', async () =>
      (await storeRow())?.last_error ? true : undefined,
    );
    expect(failed).toBe(true);
    expect(performance.now() - silencedAt).toBeLessThan(PURGE_STATEMENT_MS + 1500);
    expect((await storeRow()).last_error).toMatch(/^attempt 1: /);
    // Nothing half-erased: the failed attempt's transaction never committed.
    expect(personalStrings(await scanStores(db), new Set(subjects)).length).toBeGreaterThan(3);
    const rows = await scanStores(db);
    expect(rows.filter((row) => subjects.includes(row.subject) && row.json.includes('LP deleted data'))).toEqual([]);
    await sleep(timings.between('store.silence-for', 500, 3000));
    chat.heal();
    await expectSettled(subjects);
    expect((await storeRow()).attempts).toBeGreaterThanOrEqual(2);
  });

  it('a pooled connection whose query timed out in a silence is discarded, not handed out again', async () => {
    const proxy = await TcpProxy.start(Number(new URL(config.DATABASE_URL).port || 5432));
    const pool = new pg.Pool({
      connectionString: proxy.urlFor(config.DATABASE_URL),
      max: 1,
      ...poolOptions(serviceWaits(config)),
    });
    pool.on('error', () => undefined);
    try {
      const backend = async () => (await pool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      // Checked out and queried through a client, as TypeORM does (a promise per query, the client released as is).
      const first = await pool.connect();
      const pid = (await first.query('SELECT pg_backend_pid() AS pid')).rows[0].pid as number;
      proxy.silence();
      await expect(first.query('SELECT 1')).rejects.toThrow('Query read timeout');
      first.release();
      proxy.heal();
      expect(await backend()).not.toBe(pid);
    } finally {
      await pool.end();
      await proxy.close();
    }
  });

  it('after every drill: no request left unfinished', async () => {
    const rows = await query(`SELECT status, count(*)::int AS n FROM deletion_requests GROUP BY status`);
    expect(rows.filter((row) => row.status !== 'DONE')).toEqual([]);
  });
});
