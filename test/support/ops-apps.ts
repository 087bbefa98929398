import type { AppConfig } from '#app/config';
import { migrateStores } from '#app/stores';
import type pg from 'pg';
import { call } from './http.js';
import { freePort } from './ports.js';
import { runCli, startApp, stopApp, type AppProcess } from './processes.js';
import { databasePool, flushQueues, freshDatabase } from './test-environment.js';
import { bearer } from './tokens.js';
import { waitFor } from './wait.js';

export const ADMIN = { ADMIN_USER: 'sre', ADMIN_PASSWORD: 'correct-horse-battery-staple' };

export const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** `/health/ready` of a listener, status 0 when it does not answer. */
export async function ready(base: string): Promise<{ status: number; body: any }> {
  const answer = await call(`${base}/health/ready`).catch(() => ({
    status: 0,
    body: undefined,
    headers: new Headers(),
  }));
  return { status: answer.status, body: answer.body };
}

/** The built API (its operations listener with the dashboard) and a worker, on a fresh database and queues. */
export class OpsApps {
  db!: pg.Pool;
  api!: AppProcess;
  worker!: AppProcess;
  apiBase = '';
  /** The API's operations listener: /metrics and the dashboard. */
  opsBase = '';
  workerBase = '';

  constructor(
    readonly config: AppConfig,
    readonly site: string,
    private readonly name: string,
  ) {}

  async start(): Promise<void> {
    await freshDatabase(this.config);
    await migrateStores(this.config);
    await flushQueues(this.config);
    await runCli(this.config, ['accounts', 'create', '--site-id', this.site, '--cancellation-window', '0']);
    this.db = databasePool(this.config);
    const [apiPort, opsPort, workerPort] = [await freePort(), await freePort(), await freePort()];
    this.apiBase = `http://127.0.0.1:${apiPort}`;
    this.opsBase = `http://127.0.0.1:${opsPort}`;
    this.workerBase = `http://127.0.0.1:${workerPort}`;
    this.api = startApp('api', `${this.name}-api`, this.config, {
      PORT: String(apiPort),
      OPS_PORT: String(opsPort),
      ...ADMIN,
    });
    this.worker = startApp('worker', `${this.name}-worker`, this.config, { WORKER_PORT: String(workerPort) });
    await waitFor('both apps ready', async () =>
      (await ready(this.apiBase)).status === 200 && (await ready(this.workerBase)).status === 200 ? true : undefined,
    );
  }

  async stop(): Promise<void> {
    await Promise.all([stopApp(this.api), stopApp(this.worker)]);
    await this.db.end();
  }

  /** Creates a deletion request for the site with this `X-Request-Id`; answers its id. */
  async create(body: object, requestId: string): Promise<number> {
    const answer = await call(`${this.apiBase}/api/account/${this.site}/personal-data-deletion`, {
      method: 'POST',
      headers: { Authorization: await bearer(this.site), 'X-Request-Id': requestId },
      json: body,
    });
    expect(answer.status).toBe(201);
    return answer.body.request_id as number;
  }
}
