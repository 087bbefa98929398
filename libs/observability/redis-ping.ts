import { AppConfig } from '#app/config';
import { withTimeout } from '#app/domain';
import { createRedisClient, type RedisClient } from '#app/queue';
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Cluster } from 'ioredis';

/**
 * A Redis connection of its own for readiness: answers within READINESS_TIMEOUT_MS or counts as down. On a
 * cluster it asks the master that holds the queues' slot (a keyed read routes there; PING would go anywhere),
 * so readiness follows the queues through a failover.
 */
@Injectable()
export class RedisPing implements OnApplicationShutdown {
  private readonly redis: RedisClient;

  constructor(private readonly config: AppConfig) {
    this.redis = createRedisClient(config, 'producer', {
      commandTimeoutMs: config.READINESS_TIMEOUT_MS,
      keepAliveMs: config.TCP_KEEPALIVE_DELAY_MS,
    });
    this.redis.on('error', () => undefined);
  }

  /** Undefined when Redis answers, else why not. */
  async problem(): Promise<string | undefined> {
    try {
      if (this.redis instanceof Cluster) {
        await withTimeout(this.redis.exists(`${this.config.QUEUE_PREFIX}:readiness`), this.config.READINESS_TIMEOUT_MS);
        return undefined;
      }
      return (await this.redis.ping()) === 'PONG' ? undefined : 'unexpected answer to PING';
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** Redis's `maxmemory-policy` (CONFIG GET), for the queue metrics; rejects when Redis does not answer. */
  async maxmemoryPolicy(): Promise<string | undefined> {
    const answer = await this.redis.config('GET', 'maxmemory-policy');
    return answer[1];
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
