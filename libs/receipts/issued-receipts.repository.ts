import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** What is recorded of an issued receipt: ids and hashes only (the receipt itself is the caller's). */
export interface IssuedReceipt {
  requestId: string;
  /** The seq and hash of the request's `receipt_issued` event. */
  seq: number;
  hash: string;
  kid: string;
  auditHead: string;
}

/**
 * The receipts issued, one row per `receipt_issued` event, in its transaction (docs/ARCHITECTURE.md, "Proof"):
 * what `audit verify` checks a trail's receipt events against.
 */
@Injectable()
export class IssuedReceiptsRepository {
  async record(manager: EntityManager, receipt: IssuedReceipt): Promise<void> {
    await manager.query(
      `INSERT INTO issued_receipts (request_id, seq, hash, kid, audit_head) VALUES ($1, $2, $3, $4, $5)`,
      [receipt.requestId, receipt.seq, receipt.hash, receipt.kid, receipt.auditHead],
    );
  }
}
