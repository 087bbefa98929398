import { withTimeout } from '#app/domain';
import { QUEUE_NAMES } from '#app/queue';
import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { readQueueDepthsWith, readRedisPolicyWith } from './metrics.js';
import { RedisPing } from './redis-ping.js';

const STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'waiting-children', 'prioritized'] as const;

/** Fills the queue depth gauge (and Redis's memory policy) from Redis at each scrape; a scrape while Redis is down just leaves it out. */
@Injectable()
export class QueueMetricsCollector implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly redis: RedisPing,
  ) {}

  onModuleInit(): void {
    const queues = QUEUE_NAMES.map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
    // The gauge's own collect(), which prom-client calls at scrape time, reads through this.
    readQueueDepthsWith(async (gauge) => {
      await Promise.all(
        queues.map(async (queue) => {
          const counts = await withTimeout(queue.getJobCounts(...STATES), 1000).catch(() => undefined);
          if (!counts) return;
          for (const state of STATES) gauge.set({ queue: queue.name, state }, counts[state] ?? 0);
        }),
      );
    });
    readRedisPolicyWith(async (gauge) => {
      const answer = await withTimeout(this.redis.maxmemoryPolicy(), 1000).catch(() => undefined);
      if (!answer) return;
      gauge.reset();
      gauge.set({ policy: answer }, 1);
    });
  }
}
