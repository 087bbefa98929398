import { Injectable } from '@nestjs/common';
import { AuditVerificationRepository } from './audit-verification.repository.js';
import type { ChainBreak } from './hash-chain.js';
import { trailProblem } from './trail-expectations.js';

const REQUESTS_PER_PAGE = 500;
/** Problems listed in full; past this many only counted (one tampering can touch every request). */
export const MAX_LISTED_PROBLEMS = 100;

export interface AuditVerification {
  requests: number;
  events: number;
  intact: boolean;
  /** The first problem, by request id: a broken link, a missing event, or events without their request. */
  broken?: ChainBreak;
  /** The first MAX_LISTED_PROBLEMS problems, one per request, by request id. */
  problems: ChainBreak[];
  /** How many requests (or orphaned trails) have a problem. */
  problemCount: number;
}

/**
 * Checks every request's trail against its row, a keyset page of requests at a time, starting from
 * `deletion_requests` so a request whose trail was deleted whole, or cut short, is found (docs/ARCHITECTURE.md,
 * "Proof"). Without an account filter, events whose request row is gone are problems too.
 */
@Injectable()
export class AuditVerifier {
  constructor(private readonly pages: AuditVerificationRepository) {}

  async verify(siteId?: string): Promise<AuditVerification> {
    let afterId = '0';
    let requests = 0;
    let events = 0;
    let problemCount = 0;
    const problems: ChainBreak[] = [];
    const found = (problem: ChainBreak) => {
      problemCount += 1;
      if (problems.length < MAX_LISTED_PROBLEMS) problems.push(problem);
    };
    for (;;) {
      const page = await this.pages.page(afterId, REQUESTS_PER_PAGE, siteId);
      const orphans = new Set(page.orphans);
      for (const request of page.requests) {
        // Orphans of this page's range come before the request they precede, so problems stay in id order.
        for (const orphan of [...orphans].filter((id) => BigInt(id) < BigInt(request.id))) {
          found(orphanProblem(orphan));
          orphans.delete(orphan);
        }
        requests += 1;
        events += request.events.length;
        const problem = trailProblem(request);
        if (problem) found(problem);
      }
      for (const orphan of orphans) found(orphanProblem(orphan));
      if (page.requests.length < REQUESTS_PER_PAGE) break;
      afterId = page.requests[page.requests.length - 1].id;
    }
    return { requests, events, intact: problemCount === 0, broken: problems[0], problems, problemCount };
  }
}

function orphanProblem(requestId: string): ChainBreak {
  return { requestId, seq: 1, problem: 'audit events of a request that does not exist (its row was deleted)' };
}
