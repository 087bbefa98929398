import type { RedisOptions } from 'bullmq';

/** Bounded waits of one connection (both optional). */
export interface RedisWaits {
  /** Each command fails past this. Never on a BullMQ Worker's connections: their blocking reads wait ~10 s. */
  commandTimeoutMs?: number;
  /** TCP keepalive's idle delay, so a half-open connection is found and replaced. */
  keepAliveMs?: number;
}

/**
 * ioredis options from a `redis://` or `rediss://` URL.
 * `worker`: BullMQ workers need `maxRetriesPerRequest: null` to block on Redis forever (BullMQ bounds each
 * blocking read itself and resets a connection that does not answer); producers instead fail fast so an HTTP
 * request never hangs on a Redis outage.
 */
export function redisOptions(url: string, role: 'worker' | 'producer', waits: RedisWaits = {}): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: role === 'worker' ? null : 1,
    enableOfflineQueue: role === 'worker',
    connectTimeout: 5000,
    commandTimeout: waits.commandTimeoutMs,
    keepAlive: waits.keepAliveMs,
    // Reconnect forever, backing off to 2 s between attempts.
    retryStrategy: (times: number) => Math.min(times * 100, 2000),
  };
}
