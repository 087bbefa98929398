import { AppConfig } from '#app/config';
import { withTimeout } from '#app/domain';
import { createRedisClient, type RedisClient } from '#app/queue';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';

/** Single-use OAuth nonces, remembered in Redis for as long as their timestamp could be accepted. */
@Injectable()
export class NonceStore implements OnApplicationShutdown {
  private readonly redis: RedisClient;

  constructor(private readonly config: AppConfig) {
    // Queue commands while (re)connecting, but give up fast: an OAuth request must not hang on Redis.
    this.redis = createRedisClient(
      config,
      'producer',
      { commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS, keepAliveMs: config.TCP_KEEPALIVE_DELAY_MS },
      { enableOfflineQueue: true },
    );
    this.redis.on('error', () => undefined);
  }

  /** True the first time a (key, nonce) pair is seen; false on any reuse. Throws when Redis is unreachable. */
  async firstUse(consumerKey: string, nonce: string): Promise<boolean> {
    // One key per command, so any slot would do; the prefix's hash tag keeps nonces beside the queues.
    const key = `${this.config.QUEUE_PREFIX}:oauth-nonce:${consumerKey}:${nonce}`;
    const ttl = this.config.AUTH_OAUTH_MAX_SKEW_SECONDS * 2;
    // Bounded here too: a Cluster's command timeout covers its nodes, not a command waiting for the cluster.
    const set = this.redis.set(key, '1', 'EX', ttl, 'NX');
    return (await withTimeout(set, this.config.REDIS_COMMAND_TIMEOUT_MS)) === 'OK';
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
