import type { AppConfig } from '#app/config';
import { JobName, QueueName } from '#app/queue';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { forgedJobFailure } from '../support/forged-jobs.js';
import { call } from '../support/http.js';
import { freePort } from '../support/ports.js';
import { createAccount, seedStores, type Seeded } from '../support/cli-fixtures.js';
import { startApi, waitUntilReady } from '../support/ops-apps.js';
import { startApp, stopApp, type AppProcess } from '../support/processes.js';
import { createRequest, storeProgress, waitForStatus } from '../support/requests.js';
import { expectMasked, rowsOf, scanStores, type StoreRow } from '../support/store-scan.js';
import { databasePool, freshEnvironment, suiteConfig } from '../support/test-environment.js';
import { bearer } from '../support/tokens.js';
import { waitFor } from '../support/wait.js';

/*
 * Tenancy against the built apps: an account's request never reaches another account's rows, whatever ids it
 * names. `2076` is a string prefix of `20762324`, so the engagement prefix rule alone would let it through.
 */
const VICTIM = '20762324';
const ATTACKER = '2076';
const TYPES = ['engagement', 'conversation', 'consumer', 'ticketing'] as const;

describe('tenancy: one account never erases, locks or counts another account’s data', () => {
  let config: AppConfig;
  let db: pg.Pool;
  let api: AppProcess;
  let worker: AppProcess;
  let base: string;
  let victim: Seeded;
  let attacker: Seeded;

  const seed = (site: string, args: string[]): Promise<Seeded> => seedStores(config, site, args);
  const create = (site: string, body: object): Promise<number> => createRequest(base, site, body);

  const victimRows = (rows: StoreRow[]) => {
    const ids = new Set(Object.values(victim).flat());
    return rowsOf(rows, (row) => ids.has(row.subject));
  };

  beforeAll(async () => {
    config = suiteConfig('sec_tenancy', { RECONCILE_INTERVAL_MS: '1000', PURGE_BACKOFF_MS: '200' });
    await freshEnvironment(config);
    for (const site of [VICTIM, ATTACKER])
      await createAccount(config, site, { windowSeconds: 0, legacyTicketing: true });
    const counts = ['--engagements', '3', '--conversations', '3', '--consumers', '3', '--tickets', '3'];
    victim = await seed(VICTIM, counts);
    attacker = await seed(ATTACKER, counts);
    db = databasePool(config);
    ({ api, base } = await startApi('sec-tenancy-api', config, { OPS_PORT: String(await freePort()) }));
    worker = startApp('worker', 'sec-tenancy-worker', config);
    await waitUntilReady(base);
  });

  afterAll(async () => {
    await Promise.all([stopApp(api), stopApp(worker)]);
    await db.end();
  });

  it.each(TYPES)(
    'a %s request naming only another account’s ids leaves its rows byte-identical and reports matched 0',
    async (type) => {
      const before = victimRows(await scanStores(db));
      const id = await create(ATTACKER, { [type]: victim[type] });
      await waitForStatus(db, id, ['DONE']);

      expect(victimRows(await scanStores(db))).toEqual(before);
      const [progress] = await storeProgress(db, id);
      expect(progress).toMatchObject({ status: 'done', matched: 0, erased: 0, not_found: victim[type].length });
      // The detail tells the caller nothing about whether the ids exist in another account.
      const detail = await call(`${base}/api/account/${ATTACKER}/personal-data-deletion/${id}`, {
        headers: { Authorization: await bearer(ATTACKER) },
      });
      expect(detail.status).toBe(200);
      expect(detail.body.stores).toEqual([
        expect.objectContaining({ matched: 0, erased: 0, not_found: victim[type].length }),
      ]);
    },
  );

  it.each(TYPES)('a %s request mixing own and foreign ids erases only its own', async (type) => {
    const before = await scanStores(db);
    const own = attacker[type].slice(0, 2);
    const id = await create(ATTACKER, { [type]: [...own, ...victim[type]] });
    await waitForStatus(db, id, ['DONE']);

    const after = await scanStores(db);
    expect(victimRows(after)).toEqual(victimRows(before));
    expectMasked(after, new Set(own));
    const [progress] = await storeProgress(db, id);
    expect(progress).toMatchObject({ matched: 2, erased: 2, not_found: victim[type].length });
  });

  it('refuses a forged purge job whose ids are not among its request’s subject ids', async () => {
    // A request of the attacker kept IN_PROGRESS by an open conversation, so a job for it is not merely skipped.
    const [open] = (await seed(ATTACKER, ['--conversations', '1', '--open-ratio', '1'])).conversation;
    const id = await create(ATTACKER, { conversation: [open] });
    await waitFor('the open conversation to be deferred', async () =>
      (await storeProgress(db, id))[0]?.deferred === 1 ? true : undefined,
    );
    const before = victimRows(await scanStores(db));
    const failed = await forgedJobFailure(config, QueueName.PurgeMessaging, {
      name: JobName.PurgeChunk,
      data: { requestId: String(id), siteId: ATTACKER, run: 1, store: 'messaging', chunk: 0, ids: victim.conversation },
      options: { jobId: `forged-${id}`, attempts: 3 },
    });
    expect(failed.failedReason).toContain('not among the request');
    expect(failed.attemptsMade).toBe(1); // unrecoverable: not retried
    expect(victimRows(await scanStores(db))).toEqual(before);
    const log = readFileSync(worker.logFile, 'utf8');
    expect(log).toContain(`request ${id} messaging#0: payload refused`);
    // The log names ids, never the personal data of the rows.
    const victimStrings = (await scanStores(db)).filter((row) => victim.conversation.includes(row.subject));
    expect(victimStrings.length).toBeGreaterThan(0);
    for (const row of victimStrings)
      for (const value of Object.values(row.personal))
        if (typeof value === 'string' && value.length >= 8) expect(log).not.toContain(value);
  });
});
