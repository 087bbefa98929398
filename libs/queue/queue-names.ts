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
}

export const QUEUE_NAMES: readonly QueueName[] = Object.values(QueueName);

/** The queue on which each store's purge jobs run, so the team owning a store scales its own workers. */
export const PURGE_QUEUE_OF: Readonly<Record<StoreName, QueueName>> = {
  [StoreName.Chat]: QueueName.PurgeChat,
  [StoreName.Messaging]: QueueName.PurgeMessaging,
  [StoreName.Consumer]: QueueName.PurgeConsumer,
  [StoreName.Ticketing]: QueueName.PurgeTicketing,
};

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
}
