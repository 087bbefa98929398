import { AppConfig } from '#app/config';
import { redisOptions } from '#app/queue';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';

/** A Redis connection of its own for readiness: answers within READINESS_TIMEOUT_MS or counts as down. */
@Injectable()
export class RedisPing implements OnApplicationShutdown {
  private readonly redis: Redis;

  constructor(config: AppConfig) {
    this.redis = new Redis(
      redisOptions(config.REDIS_URL, 'producer', {
        commandTimeoutMs: config.READINESS_TIMEOUT_MS,
        keepAliveMs: config.TCP_KEEPALIVE_DELAY_MS,
      }),
    );
    this.redis.on('error', () => undefined);
  }

  /** Undefined when Redis answers, else why not. */
  async problem(): Promise<string | undefined> {
    try {
      return (await this.redis.ping()) === 'PONG' ? undefined : 'unexpected answer to PING';
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** Redis's `maxmemory-policy` (CONFIG GET), for the queue metrics; rejects when Redis does not answer. */
  async maxmemoryPolicy(): Promise<string | undefined> {
    const answer = (await this.redis.config('GET', 'maxmemory-policy')) as string[];
    return answer[1];
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
