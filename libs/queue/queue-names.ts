import { StoreName } from '#app/domain';

/**
 * Queue names. Persisted wire format (they are Redis key parts): explicit values, never derived from
 * class names, never renamed without a migration path.
 */
export enum QueueName {
  Orchestrator = 'deletion-orchestrator',
  PurgeChat = 'purge-chat',
  PurgeMessaging = 'purge-messaging',
  PurgeConsumer = 'purge-consumer',
  PurgeTicketing = 'purge-ticketing',
  /** Status-change webhook deliveries (docs/ARCHITECTURE.md, "Status-change webhooks"). */
  WebhookDeliveries = 'webhook-deliveries',
}

export const QUEUE_NAMES: readonly QueueName[] = Object.values(QueueName);

/** The queue on which each store's purge jobs run, so the team owning a store scales its own workers. */
export const PURGE_QUEUE_OF: Readonly<Record<StoreName, QueueName>> = {
  [StoreName.Chat]: QueueName.PurgeChat,
  [StoreName.Messaging]: QueueName.PurgeMessaging,
  [StoreName.Consumer]: QueueName.PurgeConsumer,
  [StoreName.Ticketing]: QueueName.PurgeTicketing,
};

const STORE_OF_QUEUE = new Map(Object.entries(PURGE_QUEUE_OF).map(([store, queue]) => [queue, store as StoreName]));

/** The store whose purge jobs a queue carries; undefined for the orchestrator queue. */
export function storeOfQueue(queue: QueueName): StoreName | undefined {
  return STORE_OF_QUEUE.get(queue);
}

/**
 * Job names. Persisted wire format like the queue names: never rename.
 */
export enum JobName {
  /** Delayed until the cancellation window ends; starts the fan-out. */
  StartDeletion = 'start-deletion',
  /** Parent of a purge flow: runs once every chunk has ended; closes the request DONE or FAILED. */
  FinishDeletion = 'finish-deletion',
  /** One chunk of ids erased from one store, on that store's queue. */
  PurgeChunk = 'purge-chunk',
  /**
   * One chunk of a store replay (re-erasure after a restore), on the store's purge queue beside purge-chunk: it
   * belongs to a replay, not to a request's run or flow, so it has a name and payload of its own.
   */
  ReplayChunk = 'replay-chunk',
  /** Repeating: re-adds what Redis lost or was never told. */
  Reconcile = 'reconcile',
  /** One attempt (and its retries) at one webhook delivery, on the webhook-deliveries queue. */
  DeliverWebhook = 'deliver-webhook',
}

const PURGE_JOBS: readonly JobName[] = [JobName.PurgeChunk, JobName.ReplayChunk];

/**
 * The job names each queue carries: a worker consuming a queue must handle every one of them, and refuses
 * to start otherwise (docs/ARCHITECTURE.md, "Queues and fan-out").
 */
export const JOBS_OF_QUEUE: Readonly<Record<QueueName, readonly JobName[]>> = {
  [QueueName.Orchestrator]: [JobName.StartDeletion, JobName.FinishDeletion, JobName.Reconcile],
  [QueueName.PurgeChat]: PURGE_JOBS,
  [QueueName.PurgeMessaging]: PURGE_JOBS,
  [QueueName.PurgeConsumer]: PURGE_JOBS,
  [QueueName.PurgeTicketing]: PURGE_JOBS,
  [QueueName.WebhookDeliveries]: [JobName.DeliverWebhook],
};
