import type { AppConfig } from '#app/config';
import { STORE_NAMES, STORE_OF, type DeletionType, type StoreName } from '#app/domain';
import { migrateStores } from '#app/stores';
import pg from 'pg';
import { FaultTimings } from '../support/fault-timings.js';
import { call, type Answer } from '../support/http.js';
import { PrivateRedisCluster } from '../support/private-redis-cluster.js';
import { createAccount, seedStores } from '../support/cli-fixtures.js';
import {
  startScaledApps,
  stopScaledApps,
  storeDatabases,
  storeProxies,
  storeUrlOf,
  STORE_URL,
  type ScaledApps,
} from '../support/scaled-topology.js';
import { expectMasked, personalStrings, rowsOf, scanStores, type StoreRow } from '../support/store-scan.js';
import type { TcpProxy } from '../support/tcp-proxy.js';
import { freshDatabase, quickPurges, suiteConfig } from '../support/test-environment.js';
import { bearer } from '../support/tokens.js';
import { sleep, waitFor } from '../support/wait.js';

/*
 * The service scaled out (docs/ARCHITECTURE.md, Queues and fan-out): a Redis Cluster of the suite's own (three
 * masters, three replicas), each store in a database of its own behind a TCP proxy, two API processes, and two
 * worker processes for each queue. The drills kill the master holding the queues' slot and silence one store's
 * database, at moments drawn from the seed (`DRILL_SEED=<n>` replays a run).
 */

const SITE = '20762324';
const TYPES = ['engagement', 'conversation', 'consumer', 'ticketing'] as const;
type Ids = Record<(typeof TYPES)[number], string[]>;
const FLAG = {
  engagement: '--engagements',
  conversation: '--conversations',
  consumer: '--consumers',
  ticketing: '--tickets',
};

const timings = new FaultTimings();

describe(`Redis Cluster failover and stores in their own databases (DRILL_SEED=${timings.seed})`, () => {
  const cluster = new PrivateRedisCluster();
  let config: AppConfig;
  let db: pg.Pool;
  let stores: Record<StoreName, pg.Pool>;
  let proxies: Record<StoreName, TcpProxy>;
  let apps: ScaledApps;
  let control: Ids;
  let controlRows: StoreRow[];
  let sent = 0;

  const seed = (perType: number): Promise<Ids> =>
    seedStores(
      config,
      SITE,
      TYPES.flatMap((t) => [FLAG[t], String(perType)]),
    );

  /** Every store's rows, each read from its own database. */
  const scanAll = async (): Promise<StoreRow[]> =>
    (await Promise.all(STORE_NAMES.map((store) => scanStores(stores[store], [store])))).flat();

  /** A create through the API processes in turn; a refused connection is status 0. */
  const create = async (body: object): Promise<Answer> =>
    call(`${apps.apiBases[sent++ % apps.apiBases.length]}/api/account/${SITE}/personal-data-deletion`, {
      method: 'POST',
      headers: { Authorization: await bearer(SITE) },
      json: body,
    }).catch((error: Error) => ({ status: 0, body: { message: error.message }, headers: new Headers() }));

  const query = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows;

  const waitDone = (ids: number[], what = `requests ${ids.join(', ')} DONE`) =>
    waitFor(
      what,
      async () => {
        const [row] = await query(
          `SELECT count(*)::int AS n FROM deletion_requests WHERE id = ANY($1) AND status = 'DONE'`,
          [ids],
        );
        return row.n === ids.length ? true : undefined;
      },
      90_000,
      250,
    );

  const storeRows = async (ids: number[]) =>
    query(
      `SELECT request_id, store, status, matched, erased, not_found, attempts, last_error
       FROM deletion_request_stores WHERE request_id = ANY($1) ORDER BY request_id`,
      [ids],
    );

  beforeAll(async () => {
    await cluster.start();
    const storeSettings = await storeDatabases(suiteConfig('cluster').DATABASE_URL);
    config = suiteConfig('cluster', {
      REDIS_CLUSTER_NODES: cluster.seedNodes,
      ...storeSettings,
      ...quickPurges(3000, 300),
      ENQUEUE_TIMEOUT_MS: '1000',
      PURGE_CHUNK_SIZE: '3',
      PURGE_STATEMENT_TIMEOUT_MS: '1500',
      DB_CONNECT_TIMEOUT_MS: '1500',
      LOG_LEVEL: 'info',
    });
    await freshDatabase(config);
    await migrateStores(config);
    db = new pg.Pool({ connectionString: config.DATABASE_URL, max: 4 });
    stores = Object.fromEntries(
      STORE_NAMES.map((store) => [store, new pg.Pool({ connectionString: storeUrlOf(config, store), max: 2 })]),
    ) as Record<StoreName, pg.Pool>;
    await createAccount(config, SITE, { windowSeconds: 0, monthlyQuota: 100_000, legacyTicketing: true });
    control = await seed(5);
    controlRows = await scanAll();
    proxies = await storeProxies(config);
    // The apps reach each store through its proxy; the suite seeds and checks the stores directly.
    const through = Object.fromEntries(
      STORE_NAMES.map((store) => [STORE_URL[store], proxies[store].urlFor(storeUrlOf(config, store))]),
    );
    apps = await startScaledApps(config, 'cluster', through);
  }, 180_000);

  afterAll(async () => {
    await stopScaledApps(apps);
    await Promise.all(Object.values(proxies ?? {}).map((proxy) => proxy.close()));
    await Promise.all([db?.end(), ...Object.values(stores ?? {}).map((pool) => pool.end())]);
    await cluster.stop();
  });

  it('erases every deletion type through two APIs and two workers per queue: zero residual, zero collateral', async () => {
    const seeded = await seed(8);
    const targets = Object.fromEntries(TYPES.map((type) => [type, seeded[type].slice(0, 6)])) as Ids;
    const targetSet = new Set(Object.values(targets).flat());
    const before = await scanAll();
    const strings = personalStrings(before, targetSet);
    expect(strings.length).toBeGreaterThan(50);
    const unknown = { engagement: `${SITE}1`, conversation: 'no-such', consumer: 'no-such', ticketing: '999999999' };
    const answers = await Promise.all(
      TYPES.flatMap((type) =>
        [0, 3].map((at) => create({ [type]: [...targets[type].slice(at, at + 3), unknown[type]] })),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 201));
    const ids = answers.map((answer) => answer.body.request_id as number);
    await waitDone(ids);

    for (const row of await storeRows(ids))
      expect(row).toMatchObject({ status: 'done', matched: 3, erased: 3, not_found: 1, last_error: null });
    const after = await scanAll();
    expect(after.flatMap((row) => strings.filter((s) => row.json.includes(s)))).toEqual([]);
    expectMasked(after, targetSet);
    expect(rowsOf(after, (row) => !targetSet.has(row.subject))).toEqual(
      rowsOf(before, (row) => !targetSet.has(row.subject)),
    );
    // The queues really are on the cluster: their keys sit in the prefix's slot on its master.
    expect(await cluster.keysInSlotOf(config.QUEUE_PREFIX)).toBeGreaterThan(0);
  });

  it("the master holding the queues' slot killed mid-traffic: its replica takes over, creates answer 201, each request completes once", async () => {
    const seeded = await seed(40);
    const subjects = seeded.engagement.flatMap((_, i) => TYPES.map((type) => ({ type, id: seeded[type][i] })));
    const killAt = timings.between('cluster.kill-at', 100, 1500);
    const gap = timings.between('cluster.gap', 20, 100);
    const answers: { type: (typeof TYPES)[number]; id: string; answer: Answer }[] = [];
    let promoted = false;
    let afterPromotion = 0;
    const load = (async () => {
      for (const { type, id } of subjects) {
        const sentAfterPromotion = promoted;
        answers.push({ type, id, answer: await create({ [type]: [id] }) });
        if (sentAfterPromotion && ++afterPromotion === 8) return;
        await sleep(gap);
      }
      throw new Error('the load ran out of subjects before eight creates after the promotion');
    })();
    await sleep(killAt);
    const { master, replica } = await cluster.killMasterOf(config.QUEUE_PREFIX);
    expect(replica).not.toBe(master);
    await cluster.waitForPromotion(config.QUEUE_PREFIX, replica);
    promoted = true;
    await load;

    // Only Redis failed, and a create needs only PostgreSQL: every one is accepted.
    expect(answers.map(({ answer }) => answer.status)).toEqual(answers.map(() => 201));
    const ids = answers.map(({ answer }) => answer.body.request_id as number);
    await waitDone(ids, `the ${ids.length} requests sent across the failover DONE`);
    const rows = await storeRows(ids);
    expect(rows).toHaveLength(ids.length);
    for (const row of rows) expect(row).toMatchObject({ status: 'done', matched: 1, erased: 1, not_found: 0 });
    // One request per subject, each in its first run: nothing was recorded twice or re-driven.
    expect(
      await query(
        `SELECT count(*)::int AS n, max(run)::int AS run FROM deletion_requests WHERE subject_ids && $1::text[]`,
        [answers.map(({ id }) => id)],
      ),
    ).toEqual([{ n: answers.length, run: 1 }]);
    expectMasked(await scanAll(), new Set(answers.map(({ id }) => id)));
    for (const base of apps.apiBases)
      await waitFor(`${base} ready after the failover`, async () =>
        (await call(`${base}/health/ready`).catch(() => undefined))?.status === 200 ? true : undefined,
      );
  });

  it("one store's database unreachable for a while: only its chunks wait and retry, the others finish meanwhile", async () => {
    const silenced = STORE_NAMES[timings.between('store.which', 0, STORE_NAMES.length - 1)];
    const silenceFor = timings.between('store.silence-for', 2500, 6000);
    const seeded = await seed(6);
    proxies[silenced].silence();
    const silencedAt = Date.now();
    let byStore: Map<StoreName, number>;
    try {
      const answers = await Promise.all(TYPES.map((type) => create({ [type]: seeded[type] })));
      expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
      byStore = new Map(TYPES.map((type, i) => [STORE_OF[type as DeletionType], answers[i].body.request_id as number]));
      const others = STORE_NAMES.filter((store) => store !== silenced).map((store) => byStore.get(store)!);
      await waitDone(others, `the requests of every store but ${silenced} DONE while it is unreachable`);
      await waitFor(`a failed attempt on ${silenced}`, async () => {
        const [row] = await storeRows([byStore.get(silenced)!]);
        return row.attempts >= 1 && row.last_error ? true : undefined;
      });
      const [waiting] = await query(`SELECT status FROM deletion_requests WHERE id = $1`, [byStore.get(silenced)]);
      expect(waiting.status).toBe('IN_PROGRESS');
      await sleep(Math.max(0, silenceFor - (Date.now() - silencedAt)));
    } finally {
      proxies[silenced].heal();
    }
    await waitDone([byStore.get(silenced)!], `the ${silenced} request DONE once its database is back`);
    for (const row of await storeRows([...byStore.values()])) {
      // Six ids in chunks of three: two chunks each, erased once.
      expect(row).toMatchObject({ status: 'done', matched: 6, erased: 6 });
      if (row.store === silenced) expect(row.attempts).toBeGreaterThanOrEqual(2);
      else expect(row).toMatchObject({ attempts: 1, last_error: null });
    }
    expectMasked(await scanAll(), new Set(Object.values(seeded).flat()));
  });

  it('after every drill: each request finished exactly once, and no subject nobody asked for changed', async () => {
    const statuses = await query(`SELECT status, count(*)::int AS n FROM deletion_requests GROUP BY status`);
    expect(statuses).toEqual([{ status: 'DONE', n: expect.any(Number) }]);
    // The orchestrator workers count a request's close only when their transition wins (never restarted here).
    const finished = await Promise.all(
      apps.orchestratorBases.map(async (base) => {
        const text = await (await fetch(`${base}/metrics`)).text();
        return Number(/^pdd_requests_finished_total\{status="DONE"\} (\d+)$/m.exec(text)?.[1] ?? 0);
      }),
    );
    expect(finished.reduce((sum, n) => sum + n, 0)).toBe(statuses[0].n);
    const controls = new Set(Object.values(control).flat());
    expect(personalStrings(controlRows, controls).length).toBeGreaterThan(50);
    expect(rowsOf(await scanAll(), (row) => controls.has(row.subject))).toEqual(
      rowsOf(controlRows, (row) => controls.has(row.subject)),
    );
  });
});
