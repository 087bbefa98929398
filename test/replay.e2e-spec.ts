import type { AppConfig } from '#app/config';
import { JobName, QueueName } from '#app/queue';
import type pg from 'pg';
import { forgedJobFailure } from './support/forged-jobs.js';
import { freePort } from './support/ports.js';
import { createAccount, seedStores, type Seeded } from './support/cli-fixtures.js';
import { startApi, waitUntilReady } from './support/ops-apps.js';
import { runCliResult, startApp, stopApp, type AppProcess } from './support/processes.js';
import { createRequest, waitForStatus } from './support/requests.js';
import { backupStore, restoreStore } from './support/store-backup.js';
import { leftovers, replayStatus, startReplay, waitForReplay } from './support/replays.js';
import { expectMasked, personalStrings, rowsOf, scanStores } from './support/store-scan.js';
import { databasePool, flushQueues, freshEnvironment, quickPurges, suiteConfig } from './support/test-environment.js';
import { bearer } from './support/tokens.js';
import { waitFor } from './support/wait.js';

const SITE = '20762324';
const OTHER = 'other_site';
const SETTINGS = { ...quickPurges(), PURGE_CHUNK_SIZE: '4' };

describe('store replay: re-erasure after a store is restored from a backup', () => {
  let config: AppConfig;
  let db: pg.Pool;
  let api: AppProcess;
  let worker: AppProcess;
  let apiBase: string;
  let workerBase: string;

  const seed = (args: string[], site = SITE): Promise<Seeded> => seedStores(config, site, args);
  const create = (body: object, site = SITE): Promise<number> => createRequest(apiBase, site, body);

  const detail = async (id: number, site = SITE) => {
    const response = await fetch(`${apiBase}/api/account/${site}/personal-data-deletion/${id}`, {
      headers: { Authorization: await bearer(site) },
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { status: string; replays: Record<string, unknown>[] };
  };

  const replay = (args: string[], settings: AppConfig = config) => startReplay(settings, args);
  const waitForDone = (replayId: unknown) => waitForReplay(config, replayId);

  beforeAll(async () => {
    config = suiteConfig('replay', SETTINGS);
    await freshEnvironment(config);
    for (const site of [SITE, OTHER]) await createAccount(config, site, { windowSeconds: 0, legacyTicketing: true });
    db = databasePool(config);
    ({ api, base: apiBase } = await startApi('replay-api', config));
    const workerPort = await freePort();
    workerBase = `http://127.0.0.1:${workerPort}`;
    worker = startApp('worker', 'replay-worker', config, { WORKER_PORT: String(workerPort) });
    await waitUntilReady(apiBase);
  });

  afterAll(async () => {
    await Promise.all([stopApp(api), stopApp(worker)]);
    await db?.end();
  });

  it('erases again what a restore brought back, leaving every other row as restored and the request DONE', async () => {
    const seeded = await seed(['--engagements', '9', '--consumers', '4']);
    const foreign = await seed(['--engagements', '3'], OTHER);
    const since = await backupStore(db, 'chat');

    const targets = seeded.engagement.slice(0, 6);
    const requests = [
      await create({ engagement: [...targets.slice(0, 5), `${SITE}1`] }),
      await create({ engagement: targets.slice(5) }),
      await create({ consumer: seeded.consumer.slice(0, 2) }),
      await create({ engagement: foreign.engagement.slice(0, 1) }, OTHER),
    ];
    for (const id of requests) await waitForStatus(db, id, ['DONE']);
    const erased = await scanStores(db);
    const targetSet = new Set(targets);
    expectMasked(erased, targetSet);

    await restoreStore(db, 'chat');
    const restored = await scanStores(db);
    const strings = personalStrings(restored, targetSet);
    // the restore brought the erased subjects' data back
    expect(strings.length).toBeGreaterThan(20);
    expect(leftovers(restored, 'chat', strings).length).toBeGreaterThan(0);

    const summary = await replay(['--store', 'chat', '--since', since.toISOString(), '--site-id', SITE]);
    expect(summary).toMatchObject({ store: 'chat', since: since.toISOString(), requests: 2, ids: 7, reused: false });
    expect(typeof summary.replay_id).toBe('number');
    const status = await waitForDone(summary.replay_id);
    expect(status).toMatchObject({
      status: 'done',
      chunks: { done: 3, total: 3 },
      matched: 6,
      erased: 6,
      not_found: 1,
    });

    const after = await scanStores(db);
    expect(leftovers(after, 'chat', strings)).toEqual([]);
    expectMasked(after, targetSet);
    // every other row, in chat and in every other store, is the restored one
    expect(rowsOf(after, (row) => !targetSet.has(row.subject))).toEqual(
      rowsOf(restored, (row) => !targetSet.has(row.subject)),
    );
    // the other account's erased engagement came back with the restore and stays: its replay was not asked for
    expect(
      leftovers(after, 'chat', personalStrings(restored, new Set(foreign.engagement.slice(0, 1)))).length,
    ).toBeGreaterThan(0);

    const metrics = await (await fetch(`${workerBase}/metrics`)).text();
    expect(metrics).toContain('pdd_replay_chunks_total{store="chat",outcome="done"} 3');
    expect(metrics).toContain('pdd_replay_ids_total{store="chat",result="erased"} 6');
    expect(metrics).toContain('pdd_replay_ids_total{store="chat",result="not_found"} 1');
    // the purges before it count as purges, not as replays
    expect(metrics).not.toContain('pdd_replay_ids_total{store="consumer"');

    const [first, second, consumer] = await Promise.all(requests.slice(0, 3).map((id) => detail(id)));
    expect(first.status).toBe('DONE');
    expect(first.replays).toEqual([
      expect.objectContaining({
        replay_id: summary.replay_id,
        store: 'chat',
        status: 'done',
        matched: 5,
        erased: 5,
        not_found: 1,
      }),
    ]);
    // The replay's chunks are read back like any purge: the rows checked are counted.
    expect(first.replays[0].verified_rows).toBeGreaterThan(0);
    expect(first.replays[0].finished_at).toEqual(expect.any(String));
    expect(second).toMatchObject({ status: 'DONE', replays: [expect.objectContaining({ matched: 1, erased: 1 })] });
    expect(consumer).toMatchObject({ status: 'DONE', replays: [] });
    // A receipt issued after the replay states it too, with the detail's figures.
    const receipt = await fetch(`${apiBase}/api/account/${SITE}/personal-data-deletion/${requests[0]}/receipt`, {
      headers: { Authorization: await bearer(SITE) },
    });
    expect(receipt.status).toBe(200);
    const { jws } = (await receipt.json()) as { jws: string };
    const claims = JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString()) as { replays: unknown[] };
    expect(claims.replays).toEqual([
      expect.objectContaining({ replay_id: summary.replay_id, store: 'chat', matched: 5, erased: 5, not_found: 1 }),
    ]);
  });

  it('survives a worker killed and Redis flushed mid-replay, throttled, and starting it twice is harmless', async () => {
    const seeded = await seed(['--conversations', '16']);
    const since = await backupStore(db, 'messaging');
    const requests = [
      await create({ conversation: seeded.conversation.slice(0, 8) }),
      await create({ conversation: seeded.conversation.slice(8) }),
    ];
    for (const id of requests) await waitForStatus(db, id, ['DONE']);
    await restoreStore(db, 'messaging');
    const restored = await scanStores(db);
    const targetSet = new Set(seeded.conversation);

    // 2 ids a second: one chunk of 4 every 2 s, 4 chunks
    const slow = suiteConfig('replay', { ...SETTINGS, REPLAY_IDS_PER_SECOND: '2' });
    const args = ['--store', 'messaging', '--since', since.toISOString()];
    const summary = await replay(args, slow);
    expect(summary).toMatchObject({ requests: 2, ids: 16, chunks: 4, reused: false });
    expect(await replay(args, slow)).toMatchObject({ replay_id: summary.replay_id, reused: true, chunks: 4 });

    // Read from PostgreSQL directly: a CLI run takes a second, longer than a chunk on this machine.
    const chunksDone = async () =>
      (
        await db.query(`SELECT count(*)::int AS n FROM store_replay_chunks WHERE replay_id = $1 AND status = 'done'`, [
          summary.replay_id,
        ])
      ).rows[0].n as number;
    await waitFor('a first replay chunk', async () => ((await chunksDone()) >= 1 ? true : undefined));
    worker.child.kill('SIGKILL');
    await worker.exited;
    const doneAtKill = await chunksDone();
    await flushQueues(config);
    worker = startApp('worker', 'replay-worker-2', config);
    expect(doneAtKill).toBeLessThan(4);
    expect((await replayStatus(config, summary.replay_id)).status).toBe('running');

    const status = await waitForDone(summary.replay_id);
    expect(status).toMatchObject({ status: 'done', chunks: { done: 4, total: 4 }, matched: 16, erased: 16 });
    const after = await scanStores(db);
    expect(leftovers(after, 'messaging', personalStrings(restored, targetSet))).toEqual([]);
    expectMasked(after, targetSet);
    expect(rowsOf(after, (row) => !targetSet.has(row.subject))).toEqual(
      rowsOf(restored, (row) => !targetSet.has(row.subject)),
    );
    // throttled: the four chunks started over at least six seconds (three waits of two)
    const { rows } = await db.query(
      `SELECT extract(epoch FROM max(started_at) - min(started_at)) AS spread FROM store_replay_chunks WHERE replay_id = $1`,
      [summary.replay_id],
    );
    expect(Number(rows[0].spread)).toBeGreaterThanOrEqual(5.9);
    for (const id of requests) {
      const { status: requestStatus, replays } = await detail(id);
      expect(requestStatus).toBe('DONE');
      expect(replays).toEqual([expect.objectContaining({ replay_id: summary.replay_id, erased: 8, status: 'done' })]);
    }
  });

  it("refuses a forged replay job naming ids that are not its replay chunk's, erasing and recording nothing", async () => {
    const victim = await seed(['--engagements', '2'], OTHER);
    const { rows } = await db.query(
      `SELECT replay_id::text, request_id::text, chunk FROM store_replay_chunks WHERE store = 'chat' ORDER BY 1, 2, 3 LIMIT 1`,
    );
    const target = rows[0] as { replay_id: string; request_id: string; chunk: number };
    const chunksBefore = (await db.query('SELECT * FROM store_replay_chunks ORDER BY 1, 2, 3')).rows;
    const before = await scanStores(db);
    const payload = { replayId: target.replay_id, requestId: target.request_id, chunk: target.chunk, store: 'chat' };
    for (const siteId of [SITE, OTHER]) {
      const failed = await forgedJobFailure(config, QueueName.PurgeChat, {
        name: JobName.ReplayChunk,
        data: { ...payload, siteId, ids: victim.engagement },
        options: { attempts: 3 },
      });
      expect(failed.failedReason).toContain('payload refused');
      expect(failed.attemptsMade).toBe(1); // unrecoverable: not retried
    }
    expect(await scanStores(db)).toEqual(before);
    expect((await db.query('SELECT * FROM store_replay_chunks ORDER BY 1, 2, 3')).rows).toEqual(chunksBefore);
  });

  it('says so and exits 0 when there is nothing to replay', async () => {
    const now = new Date().toISOString();
    const result = await runCliResult(config, ['stores', 'replay', '--store', 'ticketing', '--since', now]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      replay_id: null,
      store: 'ticketing',
      requests: 0,
      ids: 0,
      message: expect.stringMatching(/^nothing to replay/),
    });
  });

  it.each([
    [['--store', 'billing', '--since', '2026-01-01T00:00:00Z'], /--store: unknown store "billing"/],
    [['--store', 'chat', '--since', '2999-01-01T00:00:00Z'], /--since: "2999-01-01T00:00:00Z" is in the future/],
    [['--store', 'chat', '--since', 'last tuesday'], /--since: "last tuesday" is not an ISO-8601/],
    [['--store', 'chat', '--since', '2026-02-30T00:00:00Z'], /--since: "2026-02-30T00:00:00Z" is not an ISO-8601/],
  ])('refuses %j with exit code 2 and a message naming it', async (args, message) => {
    const result = await runCliResult(config, ['stores', 'replay', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('refuses an unknown replay id in replay-status with exit code 2', async () => {
    const result = await runCliResult(config, ['stores', 'replay-status', '--replay-id', '999999']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/replay 999999 does not exist/);
  });
});
