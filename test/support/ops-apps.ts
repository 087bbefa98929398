import type { AppConfig } from '#app/config';
import type pg from 'pg';
import { createAccount } from './cli-fixtures.js';
import { call } from './http.js';
import { freePort } from './ports.js';
import { startApp, stopApp, type AppProcess } from './processes.js';
import { createRequest } from './requests.js';
import { databasePool, freshEnvironment } from './test-environment.js';
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

/** Waits until each listener's `/health/ready` answers 200. */
export async function waitUntilReady(...bases: string[]): Promise<void> {
  for (const base of bases)
    await waitFor(`${base} ready`, async () => ((await ready(base)).status === 200 ? true : undefined));
}

/** Starts the built API on a free loopback port, `env` on top of `config`; the process and its base URL. */
export async function startApi(
  name: string,
  config: AppConfig,
  env: Record<string, string> = {},
): Promise<{ api: AppProcess; base: string }> {
  const port = await freePort();
  return { api: startApp('api', name, config, { PORT: String(port), ...env }), base: `http://127.0.0.1:${port}` };
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
    await freshEnvironment(this.config);
    await createAccount(this.config, this.site, { windowSeconds: 0 });
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
    await waitUntilReady(this.apiBase, this.workerBase);
  }

  async stop(): Promise<void> {
    await Promise.all([stopApp(this.api), stopApp(this.worker)]);
    await this.db.end();
  }

  /** Creates a deletion request for the site with this `X-Request-Id`; answers its id. */
  create(body: object, requestId: string): Promise<number> {
    return createRequest(this.apiBase, this.site, body, { 'X-Request-Id': requestId });
  }
}
