import type { AppConfig } from '#app/config';
import { AccountsRepository, type AccountSettings } from '#app/database';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Queue } from 'bullmq';
import type pg from 'pg';
import request from 'supertest';
import type { ApiModuleOptions } from '../../apps/api/api.module.js';
import { createApiApp } from '../../apps/api/http/create-api-app.js';
import { bearer } from './tokens.js';
import {
  databasePool,
  flushQueues,
  freshDatabase,
  freshEnvironment,
  orchestratorQueue,
  suiteConfig,
} from './test-environment.js';

/** The real API app, in this process (without the docs UI: see ApiModuleOptions.serveDocs). */
export function createTestApi(config: AppConfig, options: ApiModuleOptions = {}): Promise<NestFastifyApplication> {
  return createApiApp(config, { serveDocs: false, ...options });
}

export interface TestApiSetup {
  /** suiteConfig overrides. */
  settings?: Record<string, string>;
  /** Migrate the stores too (for suites whose worker purges). */
  stores?: boolean;
  api?: ApiModuleOptions;
}

/**
 * A suite's config on a fresh database and empty queues, with the API in this process and `accounts`
 * registered through its repository.
 */
export async function startTestApi(
  suite: string,
  accounts: AccountSettings[],
  setup: TestApiSetup = {},
): Promise<{ config: AppConfig; app: NestFastifyApplication }> {
  const config = suiteConfig(suite, setup.settings);
  if (setup.stores) {
    await freshEnvironment(config);
  } else {
    await freshDatabase(config);
    await flushQueues(config);
  }
  const app = await createTestApi(config, setup.api);
  for (const account of accounts) await app.get(AccountsRepository).upsert(account);
  return { config, app };
}

/** startTestApi's app with what suites check it by: a pool on its database and its orchestrator queue. */
export interface ApiSuite {
  config: AppConfig;
  app: NestFastifyApplication;
  db: pg.Pool;
  queue: Queue;
  close(): Promise<void>;
}

export async function startApiSuite(
  suite: string,
  accounts: AccountSettings[],
  setup: TestApiSetup = {},
): Promise<ApiSuite> {
  const { config, app } = await startTestApi(suite, accounts, setup);
  const db = databasePool(config);
  const queue = orchestratorQueue(config);
  const close = async () => {
    await queue.close();
    await db.end();
    await app.close();
  };
  return { config, app, db, queue, close };
}

/** startApiSuite for the suites that post creates as one site: that site's bearer token, and `post` with it. */
export interface CreateSuite extends ApiSuite {
  auth: string;
  /** POSTs `body` to the create path of `site` (the suite's by default) with `authorization` (default `auth`). */
  post: (body: unknown, site?: string, authorization?: string) => request.Test;
}

export async function startCreateSuite(suite: string, site: string, accounts: AccountSettings[]): Promise<CreateSuite> {
  const started = await startApiSuite(suite, accounts);
  const auth = await bearer(site);
  const post = (body: unknown, to = site, authorization = auth) =>
    postJson(started.app, `/api/account/${to}/personal-data-deletion`, authorization, body);
  return { ...started, auth, post };
}

/** A POST of `body` (a string is sent as it is, anything else as JSON) through supertest. */
export function postJson(app: NestFastifyApplication, path: string, authorization: string, body: unknown) {
  return request(app.getHttpServer())
    .post(path)
    .set('Authorization', authorization)
    .set('Content-Type', 'application/json')
    .send(typeof body === 'string' ? body : JSON.stringify(body));
}
