// Finds PostgreSQL and Redis at the configured URLs, or starts throwaway local ones from the machine's
// binaries (and says so), or stops with a message saying what to install. Used by `npm start` and `npm test`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';

const LOCAL = resolve('.local');
const say = (message) => process.stderr.write(`[services] ${message}\n`);

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/personal_data_deletion';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

async function postgresAnswers(url) {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(url) {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/** Creates the URL's database when it is missing. */
export async function ensureDatabase(url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

function findBinary(name) {
  const dirs = (process.env.PATH ?? '').split(':');
  if (existsSync('/usr/lib/postgresql')) {
    for (const version of readdirSync('/usr/lib/postgresql').sort().reverse())
      dirs.push(`/usr/lib/postgresql/${version}/bin`);
  }
  return dirs.map((dir) => join(dir, name)).find((path) => existsSync(path));
}

async function waitFor(check, what) {
  for (let attempt = 0; attempt < 60; attempt++) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error(`${what} did not come up`);
}

const started = [];
const startedPostgres = [];

async function startPostgres(url) {
  const initdb = findBinary('initdb');
  if (!initdb || !findBinary('pg_ctl')) return undefined;
  const dataDir = join(LOCAL, 'postgres');
  const asRoot = userInfo().uid === 0;
  // PostgreSQL refuses to run as root: run it as the `postgres` user where there is one.
  const run = asRoot ? (bin, args) => ['runuser', ['-u', 'postgres', '--', bin, ...args]] : (bin, args) => [bin, args];
  mkdirSync(dataDir, { recursive: true });
  if (asRoot) execFileSync('chown', ['-R', 'postgres', dataDir]);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const [bin, args] = run(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    execFileSync(bin, args, { stdio: 'ignore' });
  }
  const port = 54329;
  // pg_ctl daemonizes the server and stops it properly later (a signal to `runuser` would not reach it).
  const pgCtl = findBinary('pg_ctl');
  const options = `-p ${port} -k ${dataDir} -c listen_addresses=127.0.0.1`;
  const [bin, args] = run(pgCtl, ['-D', dataDir, '-o', options, '-l', join(dataDir, 'server.log'), '-w', 'start']);
  execFileSync(bin, args, { stdio: 'ignore' });
  startedPostgres.push(() => {
    const [stopBin, stopArgs] = run(pgCtl, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
    execFileSync(stopBin, stopArgs, { stdio: 'ignore' });
  });
  const local = new URL(url);
  local.host = `127.0.0.1:${port}`;
  local.username = 'postgres';
  local.password = '';
  await waitFor(() => postgresAnswers(local.toString()), 'the throwaway PostgreSQL');
  say(
    `no PostgreSQL answered at the configured URL; started a throwaway one on port ${port} (data in .local/postgres)`,
  );
  return local.toString();
}

async function startRedis(url) {
  const server = findBinary('redis-server');
  if (!server) return undefined;
  const port = 63799;
  const child = spawn(server, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
    detached: true,
  });
  started.push(child);
  const local = new URL(url);
  local.host = `127.0.0.1:${port}`;
  await waitFor(() => redisAnswers(local.toString()), 'the throwaway Redis');
  say(`no Redis answered at the configured URL; started a throwaway one on port ${port}`);
  return local.toString();
}

/** Returns usable DATABASE_URL and REDIS_URL, starting throwaway servers when needed. */
export async function ensureServices(env = process.env) {
  let databaseUrl = env.DATABASE_URL || DEFAULT_DATABASE_URL;
  let redisUrl = env.REDIS_URL || DEFAULT_REDIS_URL;
  if (!(await postgresAnswers(databaseUrl))) {
    const local = await startPostgres(databaseUrl);
    if (!local) fail(`no PostgreSQL answers at ${redact(databaseUrl)} and no postgres/initdb binaries were found`);
    databaseUrl = local;
  }
  if (!(await redisAnswers(redisUrl))) {
    const local = await startRedis(redisUrl);
    if (!local) fail(`no Redis answers at ${redact(redisUrl)} and no redis-server binary was found`);
    redisUrl = local;
  }
  await ensureDatabase(databaseUrl);
  return { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl };
}

/** Stops what `ensureServices` started. */
export function stopStartedServices() {
  for (const stop of startedPostgres.splice(0)) {
    try {
      stop();
    } catch {
      // already stopped
    }
  }
  for (const child of started) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

function redact(url) {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function fail(problem) {
  say(`${problem}.`);
  say('Install PostgreSQL (15+) and Redis (7+) (Debian: apt-get install postgresql redis-server),');
  say('or run `docker compose up -d postgres redis`, or point DATABASE_URL and REDIS_URL at running servers.');
  process.exit(1);
}
