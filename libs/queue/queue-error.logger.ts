import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { QUEUE_NAMES } from './queue-names.js';

const QUIET_MS = 30_000;

/**
 * Listens for the queues' connection errors (ioredis reconnects by itself) and logs them at most once per
 * 30 s per queue, instead of BullMQ's unhandled-error console dump on every retry.
 */
@Injectable()
export class QueueErrorLogger implements OnModuleInit {
  private readonly logger = new Logger(QueueErrorLogger.name);
  private readonly lastLogged = new Map<string, number>();

  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleInit(): void {
    for (const name of QUEUE_NAMES) {
      const queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      queue.on('error', (error: Error) => this.report(name, error));
    }
  }

  private report(queue: string, error: Error): void {
    const now = Date.now();
    if (now - (this.lastLogged.get(queue) ?? 0) < QUIET_MS) return;
    this.lastLogged.set(queue, now);
    this.logger.warn(`queue ${queue}: Redis error (${error.message}); reconnecting`);
  }
}
