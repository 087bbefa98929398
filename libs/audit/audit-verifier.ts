import { Injectable } from '@nestjs/common';
import { AuditEventsRepository } from './audit-events.repository.js';
import { verifyChain, type ChainBreak, type SealedAuditEvent } from './hash-chain.js';

const REQUESTS_PER_PAGE = 500;

export interface AuditVerification {
  requests: number;
  events: number;
  intact: boolean;
  /** The first broken link, by request id then seq. */
  broken?: ChainBreak;
}

/** Recomputes every request's chain, a page of requests at a time, and stops at the first broken link. */
@Injectable()
export class AuditVerifier {
  constructor(private readonly events: AuditEventsRepository) {}

  async verify(siteId?: string): Promise<AuditVerification> {
    let afterId = '0';
    let requests = 0;
    let events = 0;
    for (;;) {
      const page = await this.events.page(afterId, REQUESTS_PER_PAGE, siteId);
      if (page.length === 0) return { requests, events, intact: true };
      for (const chain of byRequest(page)) {
        requests += 1;
        events += chain.length;
        const broken = verifyChain(chain);
        if (broken) return { requests, events, intact: false, broken };
      }
      afterId = page[page.length - 1].requestId;
    }
  }
}

function byRequest(events: readonly SealedAuditEvent[]): SealedAuditEvent[][] {
  const chains = new Map<string, SealedAuditEvent[]>();
  for (const event of events) {
    const chain = chains.get(event.requestId) ?? [];
    chain.push({ ...event, at: new Date(event.at) });
    chains.set(event.requestId, chain);
  }
  return [...chains.values()];
}
