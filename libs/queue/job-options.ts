import type { JobsOptions } from 'bullmq';

/** Deterministic id of a request's orchestrator job: re-adding it is harmless (BullMQ keeps the first). */
export function startDeletionJobId(requestId: string): string {
  return `request-${requestId}`;
}

/** Defaults for every job: retried with exponential backoff; finished jobs trimmed so Redis stays bounded. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
};
