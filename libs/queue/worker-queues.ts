import type { AppConfig } from '#app/config';
import { ConfigError } from '#app/config';
import { QUEUE_NAMES, QueueName } from './queue-names.js';

/** The queues a worker process consumes (`WORKER_QUEUES`, default all); an unknown name is a config error. */
export function workerQueues(config: AppConfig): QueueName[] {
  const names = config.WORKER_QUEUES.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) return [...QUEUE_NAMES];
  const unknown = names.filter((name) => !QUEUE_NAMES.includes(name as QueueName));
  if (unknown.length > 0) {
    throw new ConfigError([`WORKER_QUEUES: unknown queue ${unknown.join(', ')}; known: ${QUEUE_NAMES.join(', ')}`]);
  }
  return [...new Set(names)] as QueueName[];
}

/** Per-queue concurrency from config. */
export function queueConcurrency(config: AppConfig, queue: QueueName): number {
  const byQueue: Record<QueueName, number> = {
    [QueueName.Orchestrator]: config.CONCURRENCY_ORCHESTRATOR,
    [QueueName.PurgeChat]: config.CONCURRENCY_PURGE_CHAT,
    [QueueName.PurgeMessaging]: config.CONCURRENCY_PURGE_MESSAGING,
    [QueueName.PurgeConsumer]: config.CONCURRENCY_PURGE_CONSUMER,
    [QueueName.PurgeTicketing]: config.CONCURRENCY_PURGE_TICKETING,
    [QueueName.WebhookDeliveries]: config.CONCURRENCY_WEBHOOKS,
  };
  return byQueue[queue];
}
