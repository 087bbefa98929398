import { JobName } from './queue-names.js';

/** Common to every payload: ids only, never personal data. */
interface Traced {
  /** The HTTP request id that created the deletion request, for log correlation. */
  correlationId?: string;
}

export interface StartDeletionPayload extends Traced {
  /** bigint as a decimal string. */
  requestId: string;
}

/** Payload type of each job name: the queue contract. */
export interface JobPayloads {
  [JobName.StartDeletion]: StartDeletionPayload;
}

export type JobOf<Name extends keyof JobPayloads> = JobPayloads[Name];

/** Re-validates what comes back from Redis (untyped) before a processor hands it to a service. */
export function parseStartDeletionPayload(data: unknown): StartDeletionPayload {
  if (typeof data !== 'object' || data === null) throw new TypeError('payload must be an object');
  const { requestId, correlationId } = data as Record<string, unknown>;
  if (typeof requestId !== 'string' || !/^[1-9][0-9]{0,18}$/.test(requestId)) {
    throw new TypeError('payload.requestId must be a positive integer string');
  }
  if (correlationId !== undefined && typeof correlationId !== 'string') {
    throw new TypeError('payload.correlationId must be a string');
  }
  return { requestId, correlationId };
}
