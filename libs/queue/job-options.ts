import type { StoreName } from '#app/domain';
import type { JobsOptions } from 'bullmq';

/*
 * Deterministic job ids: re-adding a job that exists is harmless (BullMQ keeps the first), so the API,
 * the orchestrator and the reconciler may all add the same job. BullMQ ids must not contain ':'.
 */

/** A request's orchestrator job, delayed until its window ends. */
export function startDeletionJobId(requestId: string): string {
  return `request-${requestId}`;
}

/** The parent of a run's purge flow. */
export function finishDeletionJobId(requestId: string, run: number): string {
  return `finish-${requestId}-r${run}`;
}

/** One chunk of one store in one run. */
export function purgeChunkJobId(requestId: string, run: number, store: StoreName, chunk: number): string {
  return `purge-${requestId}-r${run}-${store}-${chunk}`;
}

/** One round of a webhook delivery (a redelivery is a new round, so a new job). */
export function deliverWebhookJobId(deliveryId: string, round: number): string {
  return `webhook-${deliveryId}-${round}`;
}

/** One chunk of one request in one store replay. */
export function replayChunkJobId(replayId: string, requestId: string, chunk: number): string {
  return `replay-${replayId}-${requestId}-${chunk}`;
}

/** Defaults for every job: retried with exponential backoff; finished jobs trimmed so Redis stays bounded. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};
