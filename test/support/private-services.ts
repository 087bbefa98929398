import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { waitFor } from './wait.js';

/** A redis-server of the suite's own, on its own port, that a drill may flush, kill and restart. */
export class PrivateRedis {
  private process?: ChildProcess;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitFor('the private Redis', async () => {
      const redis = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      redis.on('error', () => undefined);
      try {
        await redis.connect();
        return (await redis.ping()) === 'PONG' ? true : undefined;
      } finally {
        redis.disconnect();
      }
    });
  }

  /** Gone at once, with everything it held (no persistence). */
  async kill(): Promise<void> {
    const process = this.process;
    if (!process || process.exitCode !== null) return;
    process.kill('SIGKILL');
    await new Promise((resolve) => process.once('exit', resolve));
  }

  async flushAll(): Promise<void> {
    const redis = new Redis(this.url);
    try {
      await redis.flushall();
    } finally {
      redis.disconnect();
    }
  }
}

const asPostgres = (bin: string, args: string[]): [string, string[]] =>
  userInfo().uid === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];

/** A PostgreSQL cluster of the suite's own (initdb in a temp dir), that a drill may stop and restart. */
export class PrivatePostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'pdd-reliability-pg-'));

  constructor(readonly port: number) {}

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async init(): Promise<void> {
    chmodSync(this.dir, 0o777);
    if (userInfo().uid === 0) execFileSync('chown', ['postgres', this.dir]);
    execFileSync(...asPostgres('initdb', ['-D', this.dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']), {
      stdio: 'ignore',
    });
    await this.start();
  }

  /** Async like the Redis twin's `start`, though `pg_ctl -w` already waits. */
  start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
    execFileSync(...asPostgres('pg_ctl', ['-D', this.dir, '-o', options, '-l', join(this.dir, 'log'), '-w', 'start']), {
      stdio: 'ignore',
    });
    return Promise.resolve();
  }

  /** `immediate`: like a crash, no shutdown checkpoint; clients see their connections dropped. */
  stop(mode: 'fast' | 'immediate' = 'immediate'): void {
    execFileSync(...asPostgres('pg_ctl', ['-D', this.dir, '-m', mode, '-w', 'stop']), { stdio: 'ignore' });
  }

  async createDatabase(name: string): Promise<string> {
    const client = new pg.Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  destroy(): void {
    try {
      this.stop('immediate');
    } catch {
      // already stopped
    }
    if (existsSync(this.dir)) rmSync(this.dir, { recursive: true, force: true });
  }
}
