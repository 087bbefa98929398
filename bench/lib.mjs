// Shared by the benchmarks: processes, databases, the machine, and a little statistics.
import { loadConfig } from '#app/config';
import { migrateServiceDatabase } from '#app/database';
import { createRedisClient, masters } from '#app/queue';
import { migrateStores } from '#app/stores';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { createServer } from 'node:net';
import pg from 'pg';
import { mintToken } from '../dist/apps/cli/tokens/mint-token.js';

/** The bench's settings: the machine's services (from the environment) with the bench's own database and prefix. */
export function benchConfig(name, overrides = {}) {
  const base = loadConfig();
  const url = new URL(base.DATABASE_URL);
  url.pathname = `/pdd_bench_${name}`;
  return loadConfig({
    DATABASE_URL: url.toString(),
    REDIS_URL: base.REDIS_URL,
    QUEUE_PREFIX: `{pdd-bench-${name}}`,
    NODE_ENV: 'test',
    AUTH_JWT_SECRET: 'bench-secret-that-is-long-enough-for-anything',
    LOG_LEVEL: 'warn',
    WORKER_PORT: '0',
    OPS_PORT: '0',
    ...overrides,
  });
}

export async function freshDatabase(config) {
  const name = new URL(config.DATABASE_URL).pathname.slice(1);
  const admin = new URL(config.DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  await migrateServiceDatabase(config.DATABASE_URL);
  await migrateStores(config);
}

/** Where a benchmark run starts: a fresh database, the prefix's keys deleted, and the account `site` created. */
export async function prepareBench(config, site, accountFlags = []) {
  await freshDatabase(config);
  await flushPrefix(config);
  cli(config, ['accounts', 'create', '--site-id', site, ...accountFlags]);
}

/** A bearer token that may create requests for `site`, valid for an hour. */
export function benchToken(config, site) {
  return mintToken(config.AUTH_JWT_SECRET, {
    subject: 'bench',
    siteIds: [site],
    permissions: ['write'],
    ttlSeconds: 3600,
  });
}

/** Deletes the bench's keys, on every master of a cluster (SCAN is per node; the hash tag keeps them in one slot). */
export async function flushPrefix(config) {
  const redis = createRedisClient(config, 'worker');
  await redis.ping();
  for (const node of masters(redis)) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${config.QUEUE_PREFIX}*`, 'COUNT', 1000);
      if (keys.length) await node.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  redis.disconnect();
}

export function environmentOf(config, overrides = {}) {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (const [key, value] of Object.entries(config))
    if (value !== undefined && value !== null) env[key] = String(value);
  return { ...env, ...overrides };
}

/** Starts a script with node; its output goes to bench/results/<name>.log. */
export function startNode(script, args, env) {
  const child = spawn('node', [script, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    child,
    exited,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export function cli(config, args) {
  return execFileSync('node', ['dist/apps/cli/main.js', ...args], {
    env: environmentOf(config),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
}

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function waitForHttp(url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await sleep(200);
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Peak resident set size of a process, in MB (VmHWM). */
export function peakRssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function machine() {
  const version = (command, args) => {
    try {
      return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n')[0];
    } catch {
      return 'unknown';
    }
  };
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memory_gb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    postgres: version('psql', ['--version']),
    redis: version('redis-server', ['--version']),
  };
}
