import { loadConfig } from '#app/config';
import { Cluster, Redis } from 'ioredis';
import {
  bullConnection,
  closeBullConnection,
  clusterNodes,
  createRedisClient,
  redisOptions,
} from './redis-connection.js';

describe(redisOptions.name, () => {
  const url = 'redis://127.0.0.1:6390/2';

  it('gives a producer a command timeout and fails fast', () => {
    expect(redisOptions(url, 'producer', { commandTimeoutMs: 2000, keepAliveMs: 10_000 })).toMatchObject({
      port: 6390,
      db: 2,
      commandTimeout: 2000,
      keepAlive: 10_000,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
  });

  it("keeps a BullMQ Worker's connection blocking-safe: retries forever, no command timeout unless asked", () => {
    const options = redisOptions(url, 'worker', { keepAliveMs: 10_000 });
    expect(options).toMatchObject({ maxRetriesPerRequest: null, enableOfflineQueue: true, keepAlive: 10_000 });
    expect(options.commandTimeout).toBeUndefined();
  });
});

describe(createRedisClient.name, () => {
  const cluster = loadConfig({
    REDIS_CLUSTER_NODES: 'redis-a:7000,10.0.0.2:7001',
    REDIS_USERNAME: 'pdd',
    REDIS_PASSWORD: 'cluster-secret',
    REDIS_TLS: 'true',
  });

  it('makes a Cluster from REDIS_CLUSTER_NODES, credentials and TLS on every node, reads from masters', () => {
    const client = createRedisClient(
      cluster,
      'producer',
      { commandTimeoutMs: 2000, keepAliveMs: 10_000 },
      { lazyConnect: true },
    );
    try {
      expect(client).toBeInstanceOf(Cluster);
      const options = (client as Cluster).options;
      expect(options).toMatchObject({ scaleReads: 'master', enableOfflineQueue: false, enableReadyCheck: true });
      expect(options.redisOptions).toMatchObject({
        username: 'pdd',
        password: 'cluster-secret',
        tls: {},
        commandTimeout: 2000,
        keepAlive: 10_000,
        maxRetriesPerRequest: 1,
      });
    } finally {
      client.disconnect();
    }
  });

  it("gives a cluster Worker connection BullMQ's blocking-safe options and no command timeout", () => {
    const connection = bullConnection(cluster, 'worker', { keepAliveMs: 10_000 });
    expect(connection).toBeInstanceOf(Cluster);
    const options = (connection as Cluster).options;
    expect(options.redisOptions).toMatchObject({ maxRetriesPerRequest: null, keepAlive: 10_000 });
    expect(options.redisOptions?.commandTimeout).toBeUndefined();
    expect((connection as Cluster).status).toBe('wait');
    (connection as Cluster).disconnect();
  });

  it('keeps REDIS_URL as it was: a Redis client, and plain options for BullMQ', () => {
    const single = loadConfig({ REDIS_URL: 'redis://:pw@127.0.0.1:6390/2' });
    const client = createRedisClient(single, 'producer', {}, { lazyConnect: true });
    expect(client).toBeInstanceOf(Redis);
    expect(client).not.toBeInstanceOf(Cluster);
    client.disconnect();
    expect(bullConnection(single, 'producer', { commandTimeoutMs: 2000 })).toMatchObject({
      host: '127.0.0.1',
      port: 6390,
      db: 2,
      password: 'pw',
      commandTimeout: 2000,
    });
  });

  it('closes a cluster connection still trying to connect, without waiting for it', async () => {
    const connection = bullConnection(loadConfig({ REDIS_CLUSTER_NODES: '127.0.0.1:1' }), 'producer') as Cluster;
    connection.on('error', () => undefined);
    connection.connect().catch(() => undefined);
    const started = Date.now();
    await closeBullConnection(connection);
    expect(Date.now() - started).toBeLessThan(500);
    expect(['disconnecting', 'close', 'end']).toContain(connection.status);
  });

  it('parses the seed nodes', () => {
    expect(clusterNodes('a:1,10.0.0.2:7001')).toEqual([
      { host: 'a', port: 1 },
      { host: '10.0.0.2', port: 7001 },
    ]);
  });
});
