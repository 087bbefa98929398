import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditEventsRepository } from './audit-events.repository.js';
import { GENESIS_HASH, seal, type SealedAuditEvent } from './hash-chain.js';

/** Every type the trail records. Persisted: never rename. */
export type AuditEventType =
  | 'created'
  | 'canceled'
  | 'started'
  | 'store_done'
  | 'store_deferred'
  | 'store_failed'
  | 'redrive'
  | 'done'
  | 'failed'
  | 'receipt_issued'
  | 'replay_started'
  | 'replay_store_done';

/** One thing that happened to a request. `details`: counts, stores, attempt numbers; never personal data. */
export interface AuditEntry {
  requestId: string;
  type: AuditEventType;
  actor: string;
  details: Record<string, unknown>;
}

/**
 * Appends to the requests' hash chains in the caller's transaction (docs/ARCHITECTURE.md, "Proof"). A request's
 * `created` event, the first of its chain (seq 1), is written by the statement that records the request (see
 * `DeletionRequestsRepository.insertTakingQuota`), so `record` leaves `created` entries out. Any other event locks
 * the request row first, so concurrent events of one request take seqs one after the other.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly events: AuditEventsRepository) {}

  async record(manager: EntityManager, entries: readonly AuditEntry[], at = new Date()): Promise<SealedAuditEvent[]> {
    const others = entries.filter((entry) => entry.type !== 'created');
    if (others.length === 0) return [];
    const sealed: SealedAuditEvent[] = [];
    const locked = await this.events.lockHeads(manager, [...new Set(others.map((entry) => entry.requestId))]);
    const heads = new Map<string, { seq: number; hash: string }>(locked);
    for (const entry of others) {
      const head = heads.get(entry.requestId) ?? { seq: 0, hash: GENESIS_HASH };
      const event = seal(head.hash, { ...entry, seq: head.seq + 1, at });
      heads.set(entry.requestId, { seq: event.seq, hash: event.hash });
      sealed.push(event);
    }
    await this.events.insert(manager, sealed);
    return sealed;
  }

  /** The request's last event (undefined when it has none), its row locked as `record` does. */
  async lastEvent(
    manager: EntityManager,
    requestId: string,
  ): Promise<{ hash: string; type: string; prevHash: string } | undefined> {
    return (await this.events.lockHeads(manager, [requestId])).get(requestId);
  }
}
