import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The `prev_hash` of a request's first event (seq 1). */
export const GENESIS_HASH = '0'.repeat(64);

/** What an audit event says, before it is sealed into its request's chain. Ids, counts and names only. */
export interface AuditEventContent {
  requestId: string;
  seq: number;
  type: string;
  at: Date;
  actor: string;
  details: Record<string, unknown>;
}

/** An event as stored: its content, the exact canonical text that was hashed, and both hashes. */
export interface SealedAuditEvent extends AuditEventContent {
  payload: string;
  prevHash: string;
  hash: string;
}

/** The canonical JSON of an event's content: what its hash covers, besides the previous hash. */
export function eventPayload(event: AuditEventContent): string {
  const { requestId, seq, type, at, actor, details } = event;
  return canonicalJson({ request_id: requestId, seq, type, at: at.toISOString(), actor, details });
}

/** SHA-256 (lowercase hex) of the UTF-8 of `prevHash` followed directly by `payload`. */
export function chainHash(prevHash: string, payload: string): string {
  return createHash('sha256').update(prevHash, 'utf8').update(payload, 'utf8').digest('hex');
}

export function seal(prevHash: string, content: AuditEventContent): SealedAuditEvent {
  const payload = eventPayload(content);
  return { ...content, payload, prevHash, hash: chainHash(prevHash, payload) };
}

/** The first broken link of a chain: which event, and what is wrong with it. */
export interface ChainBreak {
  requestId: string;
  seq: number;
  problem: string;
}

/**
 * Checks one request's events, in seq order: seqs 1, 2, 3... without gaps, each `prev_hash` the hash before it
 * (the first: GENESIS_HASH), each hash recomputed from the stored payload, and each payload the one its columns
 * give (an edited column with the payload left alone is caught too). Undefined when intact.
 */
export function verifyChain(events: readonly SealedAuditEvent[]): ChainBreak | undefined {
  let expectedPrev = GENESIS_HASH;
  for (const [index, event] of events.entries()) {
    const at = { requestId: event.requestId, seq: event.seq };
    if (event.seq !== index + 1) return { ...at, problem: `seq ${event.seq} where ${index + 1} was expected` };
    if (event.prevHash !== expectedPrev) {
      return { ...at, problem: `prev_hash ${event.prevHash} is not the previous event's hash ${expectedPrev}` };
    }
    const hash = chainHash(event.prevHash, event.payload);
    if (hash !== event.hash) return { ...at, problem: `hash ${event.hash} does not match its payload (${hash})` };
    if (eventPayload(event) !== event.payload) {
      return { ...at, problem: 'the columns (type, at, actor or details) differ from the hashed payload' };
    }
    expectedPrev = event.hash;
  }
  return undefined;
}
