import type { AppConfig } from '#app/config';
import type { ConnectionOptions, RedisOptions } from 'bullmq';
import { Cluster, Redis, type ClusterOptions } from 'ioredis';

/** Bounded waits of one connection (both optional). */
export interface RedisWaits {
  /** Each command fails past this. Never on a BullMQ Worker's connections: their blocking reads wait ~10 s. */
  commandTimeoutMs?: number;
  /** TCP keepalive's idle delay, so a half-open connection is found and replaced. */
  keepAliveMs?: number;
}

/** `worker`: may block on Redis (BullMQ Workers, the reconciler); `producer`: fails fast. */
export type RedisRole = 'worker' | 'producer';

/** One node (`REDIS_URL`) or a Redis Cluster (`REDIS_CLUSTER_NODES`). */
export type RedisClient = Redis | Cluster;

/** The settings that say where Redis is. */
export type RedisLocation = Pick<
  AppConfig,
  'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'REDIS_USERNAME' | 'REDIS_PASSWORD' | 'REDIS_TLS'
>;

/** Overrides a caller may need: the nonce store queues commands while reconnecting; a template never connects. */
export interface RedisClientExtras {
  enableOfflineQueue?: boolean;
  lazyConnect?: boolean;
}

/**
 * ioredis options from a `redis://` or `rediss://` URL.
 * `worker`: BullMQ workers need `maxRetriesPerRequest: null` to block on Redis forever (BullMQ bounds each
 * blocking read itself and resets a connection that does not answer); producers instead fail fast so an HTTP
 * request never hangs on a Redis outage.
 */
export function redisOptions(url: string, role: RedisRole, waits: RedisWaits = {}): RedisOptions {
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

/** ioredis Cluster options with the same waits and role rules as `redisOptions`, applied to every node. */
export function clusterOptions(location: RedisLocation, role: RedisRole, waits: RedisWaits = {}): ClusterOptions {
  return {
    redisOptions: {
      username: location.REDIS_USERNAME,
      password: location.REDIS_PASSWORD,
      tls: location.REDIS_TLS ? {} : undefined,
      maxRetriesPerRequest: role === 'worker' ? null : 1,
      connectTimeout: 5000,
      commandTimeout: waits.commandTimeoutMs,
      keepAlive: waits.keepAliveMs,
    },
    enableOfflineQueue: role === 'worker',
    // "ready" only once CLUSTER INFO says the cluster serves every slot.
    enableReadyCheck: true,
    // Masters only: BullMQ's scripts must read what they just wrote, and a replica lags.
    scaleReads: 'master',
    clusterRetryStrategy: (times: number) => Math.min(times * 100, 2000),
    // A failover takes about the nodes' cluster-node-timeout plus an election: retry through it, not fail.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    // TLS certificates name the nodes' host names, so connect by name rather than by resolved address.
    ...(location.REDIS_TLS ? { dnsLookup: (address, callback) => callback(null, address) } : {}),
  };
}

/** The seed nodes of `REDIS_CLUSTER_NODES`. */
export function clusterNodes(nodes: string): { host: string; port: number }[] {
  return nodes.split(',').map((node) => {
    const colon = node.lastIndexOf(':');
    return { host: node.slice(0, colon), port: Number(node.slice(colon + 1)) };
  });
}

/**
 * The one place an ioredis client is made: a `Cluster` when `REDIS_CLUSTER_NODES` is set, else a `Redis` for
 * `REDIS_URL`. Its owner disconnects it. See `docs/ARCHITECTURE.md, Redis Cluster`.
 */
export function createRedisClient(
  location: RedisLocation,
  role: RedisRole,
  waits: RedisWaits = {},
  extras: RedisClientExtras = {},
): RedisClient {
  if (location.REDIS_CLUSTER_NODES) {
    const options = clusterOptions(location, role, waits);
    return new Cluster(clusterNodes(location.REDIS_CLUSTER_NODES), { ...options, ...extras });
  }
  return new Redis({ ...redisOptions(location.REDIS_URL, role, waits), ...extras });
}

/**
 * A BullMQ `connection`. One node: options, so BullMQ makes and closes its own connections, as it always has.
 * A cluster: a lazily connecting `Cluster`, which BullMQ shares among queues and flow producers (its owner
 * disconnects it) and duplicates for each Worker's own connections.
 */
export function bullConnection(location: RedisLocation, role: RedisRole, waits: RedisWaits = {}): ConnectionOptions {
  return location.REDIS_CLUSTER_NODES
    ? createRedisClient(location, role, waits, { lazyConnect: true })
    : redisOptions(location.REDIS_URL, role, waits);
}

/** Every master of a cluster (a SCAN sees only its own node's keys), or the one node. */
export function masters(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

/** Closes a connection `bullConnection` made (none for one node: BullMQ closed its own). */
export async function closeBullConnection(connection: ConnectionOptions): Promise<void> {
  if (!(connection instanceof Cluster)) return;
  // QUIT lets replies in flight arrive; a cluster still connecting never answers it, so it is only disconnected.
  if (connection.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise((resolve) => (timer = setTimeout(resolve, 1000)));
    await Promise.race([connection.quit().catch(() => undefined), late]).finally(() => clearTimeout(timer));
  }
  connection.disconnect();
}
