import type { AppConfig } from '#app/config';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type pg from 'pg';
import { call } from './support/http.js';
import { OpsApps, ready } from './support/ops-apps.js';
import { freePort } from './support/ports.js';
import { runCli, startApp, stopApp, type AppProcess } from './support/processes.js';
import { waitForStatus } from './support/requests.js';
import { suiteConfig } from './support/test-environment.js';
import { bearer } from './support/tokens.js';
import { sleep, waitFor } from './support/wait.js';

const SITE = '31337';

// The queue dashboard's tests are in queue-dashboard.e2e-spec.ts.
describe('operations: health, metrics and logs of the built apps', () => {
  let config: AppConfig;
  let db: pg.Pool;
  let api: AppProcess;
  let worker: AppProcess;
  let apiBase: string;
  /** The API's operations listener: /metrics. */
  let opsBase: string;
  let workerBase: string;
  let create: (body: object, requestId: string) => Promise<number>;

  beforeAll(async () => {
    const apps = new OpsApps(
      suiteConfig('ops', { PURGE_ATTEMPTS: '1', RECONCILE_INTERVAL_MS: '1000', LOG_LEVEL: 'info' }),
      SITE,
      'ops',
    );
    await apps.start();
    ({ config, db, api, worker, apiBase, opsBase, workerBase } = apps);
    create = (body, requestId) => apps.create(body, requestId);
  });

  afterAll(async () => {
    await Promise.all([stopApp(api), stopApp(worker)]);
    await db.end();
  });

  it('answers /health/live and /health/ready on both apps', async () => {
    for (const base of [apiBase, workerBase]) {
      expect((await call(`${base}/health/live`)).body).toEqual({ status: 'ok' });
      const answer = await ready(base);
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body.info)).toEqual(expect.arrayContaining(['postgresql', 'redis', 'shutdown']));
    }
    expect((await ready(workerBase)).body.info.workers).toEqual({ status: 'up' });
  });

  it('shows a finished request in /metrics per store, labelled by route patterns and never by ids; logs carry the request id', async () => {
    const seeded = JSON.parse(await runCli(config, ['stores', 'seed', '--site-id', SITE, '--engagements', '3'])) as {
      engagement: string[];
    };
    const id = await create({ engagement: seeded.engagement }, 'ops-trace-1');
    await waitForStatus(db, id, ['DONE']);
    const detail = await call(`${apiBase}/api/account/${SITE}/personal-data-deletion/${id}`, {
      headers: { Authorization: await bearer(SITE) },
    });
    expect(detail.status).toBe(200);

    const workerMetrics = await (await fetch(`${workerBase}/metrics`)).text();
    expect(workerMetrics).toContain('pdd_ids_total{store="chat",result="erased"} 3');
    expect(workerMetrics).toContain('pdd_requests_finished_total{status="DONE"} 1');
    expect(workerMetrics).toMatch(/pdd_jobs_total\{queue="purge-chat",store="chat",outcome="completed"\} 1/);
    expect(workerMetrics).toMatch(
      /pdd_job_duration_seconds_count\{queue="purge-chat",store="chat",outcome="completed"\} 1/,
    );
    expect(workerMetrics).toMatch(/pdd_queue_jobs\{queue="purge-chat",state="completed"\} \d+/);
    expect(workerMetrics).toMatch(/process_resident_memory_bytes \d+/);

    const apiMetrics = await (await fetch(`${opsBase}/metrics`)).text();
    expect((await fetch(`${apiBase}/metrics`)).status).toBe(404);
    expect(apiMetrics).toContain('pdd_requests_created_total{deletion_type="engagement"} 1');
    expect(apiMetrics).toContain('route="/api/account/:siteId/personal-data-deletion/:requestId",status_code="200"');
    for (const text of [apiMetrics, workerMetrics]) {
      for (const subject of seeded.engagement) expect(text).not.toContain(subject);
      // Routes are patterns: no label holds a request's own path.
      expect(text).not.toMatch(/="[^"]*personal-data-deletion\/\d+/);
    }

    const apiLines = readFileSync(api.logFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('ops-trace-1'));
    expect(apiLines.length).toBeGreaterThan(0);
    expect(JSON.parse(apiLines[0])).toMatchObject({
      reqId: 'ops-trace-1',
      site_id: SITE,
      req: { headers: { authorization: '[redacted]' } },
    });
    const workerLines = readFileSync(worker.logFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"reqId":"ops-trace-1"'));
    expect(workerLines.map((line) => JSON.parse(line).queue)).toEqual(
      expect.arrayContaining(['deletion-orchestrator', 'purge-chat']),
    );
    for (const line of workerLines)
      expect(JSON.parse(line)).toMatchObject({ site_id: SITE, request_id: String(id), job_id: expect.any(String) });
    const allLogs = readFileSync(api.logFile, 'utf8') + readFileSync(worker.logFile, 'utf8');
    expect(allLogs).not.toMatch(/@example\.com|eyJhbGciOi/);
    // Probes and scrapes (this suite made many) are not logged line by line.
    expect(allLogs).not.toMatch(/"url":"\/(health|metrics)/);
  });

  it('reconciles pending requests without re-adding jobs that are where they should be', async () => {
    await runCli(config, ['accounts', 'create', '--site-id', 'ops_later', '--cancellation-window', '3600']);
    const answers = await Promise.all(
      ['a', 'b', 'c'].map(async (id) =>
        call(`${apiBase}/api/account/ops_later/personal-data-deletion`, {
          method: 'POST',
          headers: { Authorization: await bearer('ops_later') },
          json: { consumer: [id] },
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
    // Several reconciles (every second here) look at these settled, pending requests: their jobs are in Redis.
    await sleep(3500);
    const text = await (await fetch(`${workerBase}/metrics`)).text();
    expect(text).not.toMatch(/pdd_reconciler_repairs_total\{kind="restored"\} [1-9]/);
  });

  it('turns ready 503 naming Redis while Redis is down, and 200 again once it is back, without a restart', async () => {
    const redisPort = await freePort();
    const startRedis = (): ChildProcess =>
      spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
    let redis = startRedis();
    const local = { REDIS_URL: `redis://127.0.0.1:${redisPort}` };
    const [apiPort, workerPort] = [await freePort(), await freePort()];
    const bases = [`http://127.0.0.1:${apiPort}`, `http://127.0.0.1:${workerPort}`];
    const apps = [
      startApp('api', 'ops-api-redis', config, { ...local, PORT: String(apiPort) }),
      startApp('worker', 'ops-worker-redis', config, { ...local, WORKER_PORT: String(workerPort) }),
    ];
    try {
      for (const base of bases)
        await waitFor(`${base} ready`, async () => ((await ready(base)).status === 200 ? true : undefined));
      redis.kill('SIGKILL');
      for (const base of bases) {
        const down = await waitFor(`${base} not ready`, async () => {
          const answer = await ready(base);
          return answer.status === 503 ? answer : undefined;
        });
        expect(down.body).toMatchObject({
          statusCode: 503,
          error: 'Service Unavailable',
          message: expect.stringMatching(/not ready: .*redis is down/),
        });
      }
      redis = startRedis();
      for (const base of bases)
        await waitFor(
          `${base} ready again`,
          async () => ((await ready(base)).status === 200 ? true : undefined),
          30_000,
        );
    } finally {
      await Promise.all(apps.map((app) => stopApp(app)));
      redis.kill('SIGKILL');
    }
  });

  it('turns ready 503 as soon as shutdown begins, while the jobs in hand finish', async () => {
    const seeded = JSON.parse(await runCli(config, ['stores', 'seed', '--site-id', SITE, '--consumers', '1'])) as {
      consumer: string[];
    };
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    await stopApp(worker);
    const draining = startApp('worker', 'ops-worker-draining', config, {
      WORKER_PORT: String(port),
      SHUTDOWN_TIMEOUT_SECONDS: '20',
    });
    const blocker = await db.connect();
    try {
      await waitFor('the worker ready', async () => ((await ready(base)).status === 200 ? true : undefined));
      await blocker.query('BEGIN');
      await blocker.query('SELECT 1 FROM consumer.consumer_profiles WHERE consumer_id = $1 FOR UPDATE', [
        seeded.consumer[0],
      ]);
      const id = await create({ consumer: seeded.consumer }, 'ops-trace-3');
      await waitFor('the purge under way', async () => {
        const { rows } = await db.query(`SELECT status FROM deletion_request_stores WHERE request_id = $1`, [id]);
        return rows[0]?.status === 'processing' ? true : undefined;
      });
      draining.child.kill('SIGTERM');
      const answer = await waitFor('ready to turn 503', async () => {
        const state = await ready(base);
        return state.status === 503 ? state : undefined;
      });
      expect(answer.body.message).toMatch(/shutting down/);
      await blocker.query('COMMIT');
      // Nest re-raises the signal once its shutdown hooks are done: a graceful exit reads as SIGTERM.
      expect(await draining.exited).toBe('SIGTERM');
      expect(
        (await db.query('SELECT status FROM deletion_request_stores WHERE request_id = $1', [id])).rows[0].status,
      ).toBe('done');
    } finally {
      blocker.release();
      await stopApp(draining);
      worker = startApp('worker', 'ops-worker-after', config);
    }
  });
});
