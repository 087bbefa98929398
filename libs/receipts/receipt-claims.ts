import {
  toReplayView,
  type DeletionRequestEntity,
  type DeletionRequestStoreEntity,
  type ReplayView,
  type RequestReplayRow,
} from '#app/database';

/** One store's figures in a receipt: the same as the request detail's `stores[]`. */
export interface StoreClaim {
  store: string;
  matched: number;
  erased: number;
  not_found: number;
  verified_rows: number;
  verified_at: string | null;
}

/** One store replay in a receipt: the request detail's `replays[]`, but for its status (a receipt is of DONE). */
export type ReplayClaim = Omit<ReplayView, 'status'>;

/** What a receipt states (its JWS payload, besides `iat` and `iss`). Ids and counts: no personal data. */
export interface ReceiptClaims {
  request_id: number;
  siteid: string;
  deletion_type: string;
  subject_ids: string[];
  request_time: string;
  final_at: string;
  completed_at: string | null;
  requested_by: string;
  stores: StoreClaim[];
  /** The store replays that re-erased the request after a restore, as in its detail. */
  replays: ReplayClaim[];
  mask: string;
  /** The hash of the request's last audit event before this receipt's own `receipt_issued` event. */
  audit_head: string;
}

export function receiptClaims(
  request: DeletionRequestEntity,
  stores: readonly DeletionRequestStoreEntity[],
  mask: string,
  auditHead: string,
  replays: readonly RequestReplayRow[] = [],
): ReceiptClaims {
  return {
    request_id: Number(request.id),
    siteid: request.siteId,
    deletion_type: request.deletionType,
    subject_ids: request.subjectIds,
    request_time: request.requestTime.toISOString(),
    final_at: request.finalAt.toISOString(),
    completed_at: request.completedAt?.toISOString() ?? null,
    requested_by: request.requestedBy,
    stores: stores.map((store) => ({
      store: store.store,
      matched: store.matched,
      erased: store.erased,
      not_found: store.notFound,
      verified_rows: store.verifiedRows,
      verified_at: store.verifiedAt?.toISOString() ?? null,
    })),
    replays: replays.map((replay) => {
      const { status: _status, ...claim } = toReplayView(replay);
      return claim;
    }),
    mask,
    audit_head: auditHead,
  };
}
