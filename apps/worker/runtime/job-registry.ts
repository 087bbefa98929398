import {
  JOBS_OF_QUEUE,
  JobName,
  parseFinishDeletionPayload,
  parsePurgeChunkPayload,
  parseDeliverWebhookPayload,
  parseReconcilePayload,
  parseReplayChunkPayload,
  parseStartDeletionPayload,
  type JobPayloads,
  type QueueName,
} from '#app/queue';
import type { Job } from 'bullmq';
import type { OrchestratorProcessor } from '../deletion/orchestrator.processor.js';
import type { PurgeProcessor } from '../purge/purge.processor.js';
import type { WebhookDeliveryProcessor } from '../webhooks/webhook-delivery.processor.js';

/** What a handler asks of the runner: finish with a value, wait until later, or fail without retrying. */
export type JobOutcome =
  { kind: 'done'; value?: unknown } | { kind: 'delay'; until: Date } | { kind: 'fail'; message: string };

/** The job being run and the queue it came from. */
export interface JobContext {
  readonly queue: QueueName;
  readonly job: Job;
}

/** One job name's payload parser (what comes back from Redis is untyped) and its handler. */
export interface JobEntry<Name extends JobName> {
  parse(data: unknown): JobPayloads[Name];
  handle(payload: JobPayloads[Name], context: JobContext): Promise<JobOutcome>;
}

export type JobTable = { readonly [Name in JobName]?: JobEntry<Name> };

/** A queue this process consumes carries a job name nothing handles: the worker must not start. */
export class MissingJobHandlerError extends Error {
  constructor(missing: readonly { queue: QueueName; name: JobName }[]) {
    super(
      `no handler for ${missing.map(({ queue, name }) => `job ${name} on queue ${queue}`).join(', ')}; ` +
        'register one in apps/worker/runtime/job-registry.ts',
    );
  }
}

/** Every job name the worker may receive, with its parser and handler (docs/ARCHITECTURE.md, "Queues and fan-out"). */
export class JobRegistry {
  constructor(private readonly table: JobTable) {}

  /** Throws naming each (queue, job name) among `queues` that has no handler, as immich's job setup does. */
  assertHandles(queues: readonly QueueName[]): void {
    const missing = queues.flatMap((queue) =>
      JOBS_OF_QUEUE[queue].filter((name) => !this.table[name]).map((name) => ({ queue, name })),
    );
    if (missing.length > 0) throw new MissingJobHandlerError(missing);
  }

  /** The entry for a job name the queue carries, or undefined (an unknown name, or another queue's job). */
  entryFor(queue: QueueName, name: string): JobEntry<JobName> | undefined {
    if (!(JOBS_OF_QUEUE[queue] as readonly string[]).includes(name)) return undefined;
    return this.table[name as JobName];
  }
}

/** The worker's registry: each job name once. */
export function workerJobRegistry(
  orchestrator: OrchestratorProcessor,
  purge: PurgeProcessor,
  webhooks: WebhookDeliveryProcessor,
): JobRegistry {
  return new JobRegistry({
    [JobName.StartDeletion]: { parse: parseStartDeletionPayload, handle: (payload) => orchestrator.start(payload) },
    [JobName.FinishDeletion]: {
      parse: parseFinishDeletionPayload,
      handle: (payload, { job }) => orchestrator.finish(payload, job),
    },
    [JobName.Reconcile]: { parse: parseReconcilePayload, handle: () => orchestrator.reconcile() },
    [JobName.PurgeChunk]: {
      parse: parsePurgeChunkPayload,
      handle: (payload, context) => purge.purge(payload, context),
    },
    [JobName.ReplayChunk]: {
      parse: parseReplayChunkPayload,
      handle: (payload, context) => purge.purge(payload, context),
    },
    [JobName.DeliverWebhook]: { parse: parseDeliverWebhookPayload, handle: (payload) => webhooks.deliver(payload) },
  });
}
