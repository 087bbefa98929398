import { AuditEventsRepository } from '#app/audit';
import { DeletionRequestsRepository } from '#app/database';
import { NotFoundError } from '#app/domain';
import { ReceiptIssuer } from '#app/receipts';
import { Injectable } from '@nestjs/common';
import type { AuditEventRecord } from './proof.dto.js';

@Injectable()
export class ProofReader {
  constructor(
    private readonly requests: DeletionRequestsRepository,
    private readonly auditEvents: AuditEventsRepository,
    private readonly receipts: ReceiptIssuer,
  ) {}

  async events(siteId: string, requestId: string): Promise<AuditEventRecord[]> {
    if (!(await this.requests.findOne(siteId, requestId))) {
      throw new NotFoundError(`request ${requestId} does not exist for account ${siteId}`);
    }
    return (await this.auditEvents.list(requestId)).map((event) => ({
      seq: event.seq,
      type: event.type,
      at: new Date(event.at).toISOString(),
      actor: event.actor,
      details: event.details,
      payload: event.payload,
      prev_hash: event.prevHash,
      hash: event.hash,
    }));
  }

  receipt(siteId: string, requestId: string, actor: string): Promise<string> {
    return this.receipts.issue(siteId, requestId, actor);
  }
}
