import type { AppConfig } from '#app/config';
import { STORE_NAMES, type StoreName } from '#app/domain';
import pg from 'pg';
import { call } from './http.js';
import { freePort } from './ports.js';
import { startApp, stopApp, type AppProcess } from './processes.js';
import { TcpProxy } from './tcp-proxy.js';
import { waitFor } from './wait.js';

/** Each store's URL setting. */
export const STORE_URL = {
  chat: 'STORE_CHAT_URL',
  messaging: 'STORE_MESSAGING_URL',
  consumer: 'STORE_CONSUMER_URL',
  ticketing: 'STORE_TICKETING_URL',
} as const satisfies Record<StoreName, keyof AppConfig>;

/**
 * Each store in a database of its own, `<service database>_<store>` on the service database's PostgreSQL,
 * dropped and created afresh. Returns the store settings to give the config.
 */
export async function storeDatabases(serviceUrl: string): Promise<Record<string, string>> {
  const admin = new URL(serviceUrl);
  const service = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  const settings: Record<string, string> = {};
  try {
    for (const store of STORE_NAMES) {
      const name = `${service}_${store}`;
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${name}"`);
      const url = new URL(serviceUrl);
      url.pathname = `/${name}`;
      settings[STORE_URL[store]] = url.toString();
    }
  } finally {
    await client.end();
  }
  return settings;
}

/** The URL of `store`'s database in `config`. */
export const storeUrlOf = (config: AppConfig, store: StoreName): string => config[STORE_URL[store]]!;

/** A TCP proxy in front of each store's database, so a drill can silence one store and only it. */
export async function storeProxies(config: AppConfig): Promise<Record<StoreName, TcpProxy>> {
  const proxies = {} as Record<StoreName, TcpProxy>;
  for (const store of STORE_NAMES)
    proxies[store] = await TcpProxy.start(Number(new URL(storeUrlOf(config, store)).port || 5432));
  return proxies;
}

export interface ScaledApps {
  apiBases: string[];
  /** Each orchestrator worker's health and metrics address. */
  orchestratorBases: string[];
  workerBases: string[];
  processes: AppProcess[];
}

/**
 * The scaled-out topology: `apis` API processes, `perQueue` worker processes for each store's queue (one queue
 * each) and `perQueue` for the orchestrator queue, every one of them ready before this returns.
 */
export async function startScaledApps(
  config: AppConfig,
  name: string,
  env: Record<string, string>,
  { apis = 2, perQueue = 2 } = {},
): Promise<ScaledApps> {
  const apps: ScaledApps = { apiBases: [], orchestratorBases: [], workerBases: [], processes: [] };
  const start = async (kind: 'api' | 'worker', label: string, extra: Record<string, string>) => {
    const port = await freePort();
    const portSetting: Record<string, string> = { [kind === 'api' ? 'PORT' : 'WORKER_PORT']: String(port) };
    apps.processes.push(startApp(kind, `${name}-${label}`, config, { ...env, ...extra, ...portSetting }));
    return `http://127.0.0.1:${port}`;
  };
  for (let i = 0; i < apis; i++) apps.apiBases.push(await start('api', `api-${i}`, {}));
  for (let i = 0; i < perQueue; i++) {
    const orchestrator = await start('worker', `orchestrator-${i}`, { WORKER_QUEUES: 'deletion-orchestrator' });
    apps.orchestratorBases.push(orchestrator);
    apps.workerBases.push(orchestrator);
    for (const store of STORE_NAMES)
      apps.workerBases.push(await start('worker', `${store}-${i}`, { WORKER_QUEUES: `purge-${store}` }));
  }
  const bases = [...apps.apiBases, ...apps.workerBases];
  await waitFor(
    'every process of the scaled topology ready',
    async () => {
      const answers = await Promise.all(bases.map((base) => call(`${base}/health/ready`).catch(() => undefined)));
      return answers.every((answer) => answer?.status === 200) ? true : undefined;
    },
    90_000,
    250,
  );
  return apps;
}

export async function stopScaledApps(apps: ScaledApps | undefined): Promise<void> {
  await Promise.all((apps?.processes ?? []).map((app) => stopApp(app)));
}
