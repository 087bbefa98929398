import { AppConfig, loadConfig } from '#app/config';
import { migrateServiceDatabase } from '#app/database';
import { createRedisClient, masters, QueueName } from '#app/queue';
import { migrateStores } from '#app/stores';
import { Queue } from 'bullmq';
import pg from 'pg';

export const TEST_JWT_SECRET = 'e2e-test-secret-that-is-long-enough-for-production';

/**
 * A suite's own config: the machine's PostgreSQL and Redis (from the environment, through the config lib),
 * but its own database and its own queue prefix, so suites never see each other's data.
 */
export function suiteConfig(suite: string, overrides: Record<string, string> = {}): AppConfig {
  const base = loadConfig();
  // PDD_TEST_NAMESPACE lets two checkouts run the same suite on one machine at once (e.g. git worktrees).
  const name = [process.env.PDD_TEST_NAMESPACE, suite].filter(Boolean).join('-');
  const database = new URL(base.DATABASE_URL);
  database.pathname = `/pdd_test_${name.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
  return loadConfig({
    DATABASE_URL: database.toString(),
    REDIS_URL: base.REDIS_URL,
    ...redisCluster(base),
    QUEUE_PREFIX: `{pdd-test-${name}}`,
    NODE_ENV: 'test',
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    API_KEY_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    LOG_LEVEL: 'warn',
    // Several apps run at once in a suite: each takes a free port for its health, metrics and dashboard.
    WORKER_PORT: '0',
    OPS_PORT: '0',
    // Suites send many bad credentials from one loopback address; the security suite sets a low limit itself.
    AUTH_FAILURE_LIMIT: '100000',
    ...overrides,
  });
}

/**
 * Worker settings for suites that watch purges end: a reconcile pass each second, short retries, a dead
 * worker's jobs taken over within seconds and a bounded shutdown.
 */
export function quickPurges(lockMs = 2000, backoffMs = 200): Record<string, string> {
  return {
    RECONCILE_INTERVAL_MS: '1000',
    WORKER_LOCK_DURATION_MS: String(lockMs),
    PURGE_BACKOFF_MS: String(backoffMs),
    SHUTDOWN_TIMEOUT_SECONDS: '5',
  };
}

/** The machine's Redis Cluster settings, when it runs one. */
function redisCluster(base: AppConfig): Record<string, string> {
  const { REDIS_CLUSTER_NODES, REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS } = base;
  const settings = { REDIS_CLUSTER_NODES, REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS };
  return Object.fromEntries(
    Object.entries(settings).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])),
  );
}

/** Drops and recreates the suite's database, then applies every migration. */
export async function freshDatabase(config: AppConfig): Promise<void> {
  const name = new URL(config.DATABASE_URL).pathname.slice(1);
  const admin = new URL(config.DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  await migrateServiceDatabase(config.DATABASE_URL);
}

/** A fresh service database, freshly migrated stores and empty queues: where a suite that purges starts. */
export async function freshEnvironment(config: AppConfig): Promise<void> {
  await freshDatabase(config);
  await migrateStores(config);
  await flushQueues(config);
}

/** Deletes every Redis key under the suite's queue prefix, on every master of a cluster (SCAN is per node). */
export async function flushQueues(config: AppConfig): Promise<void> {
  const redis = createRedisClient(config, 'worker');
  try {
    await redis.ping(); // a cluster knows its masters once it is ready
    for (const node of masters(redis)) {
      let cursor = '0';
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', `${config.QUEUE_PREFIX}*`, 'COUNT', 1000);
        // The prefix's hash tag puts every one of them in one slot, so one DEL may take them all.
        if (keys.length > 0) await node.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

/** A plain pg pool on the suite's database, to check what the apps wrote. */
export function databasePool(config: AppConfig): pg.Pool {
  return new pg.Pool({ connectionString: config.DATABASE_URL, max: 4 });
}

/** The orchestrator queue under the suite's prefix, to look at the jobs the API enqueued. */
export function orchestratorQueue(config: AppConfig): Queue {
  return new Queue(QueueName.Orchestrator, { connection: { url: config.REDIS_URL }, prefix: config.QUEUE_PREFIX });
}
