import { isRequestId, isSiteId, MAX_IDS_PER_REQUEST, STORE_NAMES, type StoreName } from '#app/domain';
import { JobName } from './queue-names.js';

/** Common to every payload: ids only, never personal data. */
interface Traced {
  /** The HTTP request id that created the deletion request, for log correlation. */
  correlationId?: string;
  /** The account, for log lines. */
  siteId?: string;
}

export interface StartDeletionPayload extends Traced {
  /** bigint as a decimal string. */
  requestId: string;
}

export interface FinishDeletionPayload extends Traced {
  requestId: string;
  run: number;
}

export interface PurgeChunkPayload extends Traced {
  requestId: string;
  /** The request's account: the worker erases only this account's rows, and checks it against the request. */
  siteId: string;
  run: number;
  store: StoreName;
  chunk: number;
  /** The subject ids being erased: the only data a payload may carry. */
  ids: string[];
}

/** One chunk of a store replay: re-erases a request's ids in one store, recorded against the replay. */
export interface ReplayChunkPayload extends Traced {
  replayId: string;
  requestId: string;
  siteId: string;
  store: StoreName;
  chunk: number;
  ids: string[];
}

export type ReconcilePayload = Record<string, never>;

export interface DeliverWebhookPayload extends Traced {
  /** The delivery row (bigint as a decimal string). */
  deliveryId: string;
  /** Its round: 0, +1 per redelivery; a job of an older round finds nothing to do. */
  round: number;
  /** For log lines. */
  requestId: string;
}

/** Payload type of each job name: the queue contract. */
export interface JobPayloads {
  [JobName.StartDeletion]: StartDeletionPayload;
  [JobName.FinishDeletion]: FinishDeletionPayload;
  [JobName.PurgeChunk]: PurgeChunkPayload;
  [JobName.ReplayChunk]: ReplayChunkPayload;
  [JobName.Reconcile]: ReconcilePayload;
  [JobName.DeliverWebhook]: DeliverWebhookPayload;
}

export type JobOf<Name extends keyof JobPayloads> = JobPayloads[Name];

/** Thrown when what came back from Redis does not match the contract; the job fails without retrying. */
export class InvalidPayloadError extends Error {}

function record(data: unknown): Record<string, unknown> {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new InvalidPayloadError('payload must be an object');
  return data as Record<string, unknown>;
}

function requestId(value: unknown): string {
  if (!isRequestId(value)) {
    throw new InvalidPayloadError('payload.requestId must be a positive integer string');
  }
  return value;
}

function wholeNumber(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidPayloadError(`payload.${name} must be an integer >= ${min}`);
  }
  return value;
}

/** The optional tracing fields, re-validated. */
function traced(payload: Record<string, unknown>): Traced {
  if (payload.siteId !== undefined && typeof payload.siteId !== 'string')
    throw new InvalidPayloadError('payload.siteId must be a string');
  return { correlationId: correlationId(payload.correlationId), siteId: payload.siteId };
}

function correlationId(value: unknown): string | undefined {
  if (value !== undefined && typeof value !== 'string')
    throw new InvalidPayloadError('payload.correlationId must be a string');
  return value;
}

/** Re-validates what comes back from Redis (untyped) before a processor hands it to a service. */
export function parseStartDeletionPayload(data: unknown): StartDeletionPayload {
  const payload = record(data);
  return { requestId: requestId(payload.requestId), ...traced(payload) };
}

export function parseFinishDeletionPayload(data: unknown): FinishDeletionPayload {
  const payload = record(data);
  return {
    requestId: requestId(payload.requestId),
    run: wholeNumber('run', payload.run, 1),
    ...traced(payload),
  };
}

export function parsePurgeChunkPayload(data: unknown): PurgeChunkPayload {
  const payload = record(data);
  return { ...storeChunk(payload), run: wholeNumber('run', payload.run, 1) };
}

export function parseReplayChunkPayload(data: unknown): ReplayChunkPayload {
  const payload = record(data);
  if (!isRequestId(payload.replayId))
    throw new InvalidPayloadError('payload.replayId must be a positive integer string');
  return { ...storeChunk(payload), replayId: payload.replayId };
}

/** What a purge and a replay chunk share: a request's ids in one store, of one account. */
function storeChunk(payload: Record<string, unknown>): Omit<PurgeChunkPayload, 'run'> {
  if (!STORE_NAMES.includes(payload.store as StoreName))
    throw new InvalidPayloadError('payload.store is not a known store');
  const ids = payload.ids;
  if (
    !Array.isArray(ids) ||
    ids.length === 0 ||
    ids.length > MAX_IDS_PER_REQUEST ||
    !ids.every((id) => typeof id === 'string' && id !== '')
  ) {
    throw new InvalidPayloadError(`payload.ids must be 1 to ${MAX_IDS_PER_REQUEST} non-empty strings`);
  }
  if (!isSiteId(payload.siteId)) throw new InvalidPayloadError('payload.siteId must be a site id');
  return {
    requestId: requestId(payload.requestId),
    store: payload.store as StoreName,
    chunk: wholeNumber('chunk', payload.chunk, 0),
    ids: ids as string[],
    ...traced(payload),
    siteId: payload.siteId,
  };
}

/** The reconciler's job carries nothing; whatever its data holds is ignored. */
export function parseReconcilePayload(_data: unknown): ReconcilePayload {
  return {};
}

export function parseDeliverWebhookPayload(data: unknown): DeliverWebhookPayload {
  const payload = record(data);
  if (!isRequestId(payload.deliveryId))
    throw new InvalidPayloadError('payload.deliveryId must be a positive integer string');
  return {
    deliveryId: payload.deliveryId,
    round: wholeNumber('round', payload.round, 0),
    requestId: requestId(payload.requestId),
    ...traced(payload),
  };
}
