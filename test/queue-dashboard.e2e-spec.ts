import type { AppConfig } from '#app/config';
import { existsSync, mkdirSync } from 'node:fs';
import type pg from 'pg';
import { launchChromium } from './support/browser.js';
import { call } from './support/http.js';
import { ADMIN, basic, OpsApps } from './support/ops-apps.js';
import { runCli } from './support/processes.js';
import { waitForStatus } from './support/requests.js';
import { suiteConfig } from './support/test-environment.js';
import { waitFor } from './support/wait.js';

const SITE = '31337';

describe('operations: the queue dashboard of the built API', () => {
  const apps = new OpsApps(
    suiteConfig('dashboard', { PURGE_ATTEMPTS: '1', RECONCILE_INTERVAL_MS: '1000', LOG_LEVEL: 'info' }),
    SITE,
    'dashboard',
  );
  let config: AppConfig;
  let db: pg.Pool;
  let apiBase: string;
  /** The API's operations listener: the dashboard. */
  let opsBase: string;
  let failedJobId: string;

  beforeAll(async () => {
    await apps.start();
    ({ config, db, apiBase, opsBase } = apps);
    const seeded = JSON.parse(await runCli(config, ['stores', 'seed', '--site-id', SITE, '--engagements', '1'])) as {
      engagement: string[];
    };
    await db.query('ALTER TABLE chat.files RENAME TO files_broken');
    try {
      const id = await apps.create({ engagement: seeded.engagement }, 'ops-trace-2');
      await waitForStatus(db, id, ['FAILED']);
      failedJobId = `purge-${id}-r1-chat-0`;
    } finally {
      await db.query('ALTER TABLE chat.files_broken RENAME TO files');
    }
  });

  afterAll(() => apps.stop());

  it('answers 401 without the admin credentials and 200 with them, listing every queue', async () => {
    expect((await fetch(`${apiBase}/admin/queues`)).status).toBe(404);
    const refused = await fetch(`${opsBase}/admin/queues`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect(
      (await fetch(`${opsBase}/admin/queues`, { headers: { Authorization: basic('sre', 'wrong-password-123') } }))
        .status,
    ).toBe(401);
    const page = await fetch(`${opsBase}/admin/queues`, {
      headers: { Authorization: basic(ADMIN.ADMIN_USER, ADMIN.ADMIN_PASSWORD) },
    });
    expect(page.status).toBe(200);
    const queues = await call(`${opsBase}/admin/queues/api/queues`, {
      headers: { Authorization: basic(ADMIN.ADMIN_USER, ADMIN.ADMIN_PASSWORD) },
    });
    expect(queues.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual([
      'deletion-orchestrator',
      'purge-chat',
      'purge-consumer',
      'purge-messaging',
      'purge-ticketing',
      'webhook-deliveries',
    ]);
  });

  it('opens the failed jobs of a queue in a real browser', async () => {
    mkdirSync('test-artifacts', { recursive: true });
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({
        httpCredentials: { username: ADMIN.ADMIN_USER, password: ADMIN.ADMIN_PASSWORD },
      });
      const page = await context.newPage();
      const refused: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
      });
      await page.goto(`${opsBase}/admin/queues`);
      for (const name of [
        'deletion-orchestrator',
        'purge-chat',
        'purge-messaging',
        'purge-consumer',
        'purge-ticketing',
      ]) {
        await page.getByText(name, { exact: true }).first().waitFor({ timeout: 15_000 });
      }
      await page.goto(`${opsBase}/admin/queues/queue/purge-chat?status=failed`);
      await page.getByText(failedJobId).first().waitFor({ timeout: 15_000 });
      await page.screenshot({ path: 'test-artifacts/queue-dashboard-failed-jobs.png', fullPage: true });
      // The security headers' policy lets the board run; it only keeps out its third-party web fonts.
      expect(refused.filter((text) => !text.includes('https://fonts.googleapis.com/'))).toEqual([]);
    } finally {
      await browser.close();
    }
    expect(existsSync('test-artifacts/queue-dashboard-failed-jobs.png')).toBe(true);
  });

  it('offers no action on the purge queues (a re-run purge of a FAILED request would only skip): 405, the job stays failed', async () => {
    const auth = { Authorization: basic(ADMIN.ADMIN_USER, ADMIN.ADMIN_PASSWORD) };
    const queues = await call(`${opsBase}/admin/queues/api/queues`, { headers: auth });
    const flags = Object.fromEntries(
      queues.body.queues.map((queue: { name: string; readOnlyMode: boolean; allowRetries: boolean }) => [
        queue.name,
        [queue.readOnlyMode, queue.allowRetries],
      ]),
    );
    expect(flags).toEqual({
      'deletion-orchestrator': [false, true],
      'purge-chat': [true, false],
      'purge-messaging': [true, false],
      'purge-consumer': [true, false],
      'purge-ticketing': [true, false],
      // Redeliver through the API (POST .../deliveries/{id}/redeliver), which starts a new round.
      'webhook-deliveries': [true, false],
    });
    for (const action of [`${failedJobId}/retry`, 'retry/failed', 'clean/failed', 'empty', 'pause']) {
      const answer = await fetch(`${opsBase}/admin/queues/api/queues/purge-chat/${action}`, {
        method: 'PUT',
        headers: auth,
      });
      expect([action, answer.status]).toEqual([action, 405]);
    }
    const job = await call(`${opsBase}/admin/queues/api/queues/purge-chat/${failedJobId}`, { headers: auth });
    expect(job.body.status).toBe('failed');
  });

  it('refuses to retry a completed orchestrator job (it would only skip) and retries none of them', async () => {
    const auth = { Authorization: basic(ADMIN.ADMIN_USER, ADMIN.ADMIN_PASSWORD) };
    const done = await waitFor('a completed orchestrator job', async () => {
      const page = await call(`${opsBase}/admin/queues/api/queues?activeQueue=deletion-orchestrator&status=completed`, {
        headers: auth,
      });
      const queue = page.body.queues.find((q: { name: string }) => q.name === 'deletion-orchestrator');
      return queue?.jobs?.[0]?.id as string | undefined;
    });
    const one = await fetch(`${opsBase}/admin/queues/api/queues/deletion-orchestrator/${done}/retry`, {
      method: 'PUT',
      headers: auth,
    });
    expect(one.status).toBe(405);
    expect(await one.json()).toMatchObject({ statusCode: 405, error: 'Method Not Allowed' });
    const all = await fetch(`${opsBase}/admin/queues/api/queues/deletion-orchestrator/retry/completed`, {
      method: 'PUT',
      headers: auth,
    });
    expect(all.status).toBe(405);
  });

  it("offers no action that could forge or reshape the orchestrator's jobs (add, edit, promote, obliterate): 405", async () => {
    const auth = { Authorization: basic(ADMIN.ADMIN_USER, ADMIN.ADMIN_PASSWORD), 'Content-Type': 'application/json' };
    const queue = `${opsBase}/admin/queues/api/queues/deletion-orchestrator`;
    const forged = JSON.stringify({ name: 'finish-deletion', data: { requestId: '1', run: 1 }, options: {} });
    const attempts: [string, string, string?][] = [
      ['POST', `${queue}/add`, forged],
      ['PUT', `${queue}/obliterate`],
      ['PUT', `${queue}/promote`],
      ['PATCH', `${queue}/request-1/update-data`, JSON.stringify({ data: { requestId: '2' } })],
      ['PATCH', `${queue}/request-1/delay`, JSON.stringify({ delay: 1 })],
      ['PUT', `${queue}/request-1/promote`],
    ];
    for (const [method, url, body] of attempts) {
      const answer = await fetch(url, { method, headers: auth, body });
      expect([method, url, answer.status]).toEqual([method, url, 405]);
    }
    const jobs = await call(`${opsBase}/admin/queues/api/queues?activeQueue=deletion-orchestrator&status=waiting`, {
      headers: auth,
    });
    const names = jobs.body.queues.find((q: { name: string }) => q.name === 'deletion-orchestrator').jobs;
    expect(names.map((job: { name: string }) => job.name)).not.toContain('finish-deletion');
  });
});
