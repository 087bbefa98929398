import { AuditTrail, GENESIS_HASH } from '#app/audit';
import { AppConfig } from '#app/config';
import { DeletionRequestsRepository, PurgeProgressRepository, StoreReplaysRepository } from '#app/database';
import { ConflictError, NotFoundError, RequestStatus } from '#app/domain';
import { MASK } from '#app/stores';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { SignJWT } from 'jose';
import type { DataSource } from 'typeorm';
import { IssuedReceiptsRepository } from './issued-receipts.repository.js';
import { receiptClaims } from './receipt-claims.js';
import { RECEIPT_ALG, ReceiptKeyRing } from './receipt-key-ring.js';

const DEFAULT_ISSUER = 'personal-data-deletion';

/**
 * Signs a DONE request's receipt and appends `receipt_issued` to its audit trail in one transaction, so the
 * receipt's `audit_head` is the trail's head just before that event, and records the receipt (`issued_receipts`) so
 * a deleted `receipt_issued` event is found by `audit verify` (docs/ARCHITECTURE.md, "Proof").
 */
@Injectable()
export class ReceiptIssuer {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly requests: DeletionRequestsRepository,
    private readonly progress: PurgeProgressRepository,
    private readonly replays: StoreReplaysRepository,
    private readonly trail: AuditTrail,
    private readonly keys: ReceiptKeyRing,
    private readonly issued: IssuedReceiptsRepository,
  ) {}

  get issuer(): string {
    return this.config.RECEIPT_ISSUER ?? this.config.PUBLIC_BASE_URL ?? DEFAULT_ISSUER;
  }

  /** `siteId` is the caller's account: another account's request is a 404 that reveals nothing. */
  async issue(siteId: string, requestId: string, actor: string): Promise<string> {
    const request = await this.requests.findOne(siteId, requestId);
    if (!request) throw new NotFoundError(`request ${requestId} does not exist for account ${siteId}`);
    // DONE is final: nothing read here changes before the transaction below.
    if (request.status !== RequestStatus.Done) {
      throw new ConflictError(`request ${requestId} is ${request.status}; a receipt is issued once it is DONE`);
    }
    const [stores, replays, signer] = await Promise.all([
      this.progress.findStores(requestId),
      this.replays.forRequest(siteId, requestId),
      this.keys.signer(),
    ]);
    return this.dataSource.transaction(async (manager) => {
      const last = await this.trail.lastEvent(manager, requestId);
      // Nothing happened since the last receipt: the same statement again, recorded by the same event (so a reader
      // repeating GETs cannot grow the trail). Its audit_head is the head that event followed.
      const reissue = last?.type === 'receipt_issued';
      const head = reissue ? last.prevHash : (last?.hash ?? GENESIS_HASH);
      const jws = await new SignJWT({ ...receiptClaims(request, stores, MASK, head, replays) })
        .setProtectedHeader({ alg: RECEIPT_ALG, kid: signer.kid, typ: 'JWT' })
        .setIssuedAt()
        .setIssuer(this.issuer)
        .sign(signer.key);
      const details = { kid: signer.kid, audit_head: head };
      if (!reissue) {
        const [event] = await this.trail.record(manager, [{ requestId, type: 'receipt_issued', actor, details }]);
        await this.issued.record(manager, {
          requestId,
          seq: event.seq,
          hash: event.hash,
          kid: signer.kid,
          auditHead: head,
        });
      }
      return jws;
    });
  }
}
