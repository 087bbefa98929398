import { AppConfig } from '#app/config';
import { redisOptions } from '#app/queue';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

/** Single-use OAuth nonces, remembered in Redis for as long as their timestamp could be accepted. */
@Injectable()
export class NonceStore implements OnApplicationShutdown {
  private readonly redis: Redis;

  constructor(private readonly config: AppConfig) {
    // Queue commands while (re)connecting, but give up fast: an OAuth request must not hang on Redis.
    this.redis = new Redis({
      ...redisOptions(config.REDIS_URL, 'producer', {
        commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
        keepAliveMs: config.TCP_KEEPALIVE_DELAY_MS,
      }),
      enableOfflineQueue: true,
    });
    this.redis.on('error', () => undefined);
  }

  /** True the first time a (key, nonce) pair is seen; false on any reuse. Throws when Redis is unreachable. */
  async firstUse(consumerKey: string, nonce: string): Promise<boolean> {
    const key = `${this.config.QUEUE_PREFIX}:oauth-nonce:${consumerKey}:${nonce}`;
    const ttl = this.config.AUTH_OAUTH_MAX_SKEW_SECONDS * 2;
    return (await this.redis.set(key, '1', 'EX', ttl, 'NX')) === 'OK';
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
