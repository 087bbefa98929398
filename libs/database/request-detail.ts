import type { RequestStatus, StoreName } from '#app/domain';
import type { DeletionRequestStoreEntity } from './entities/deletion-request-store.entity.js';
import type { DeletionRequestEntity } from './entities/deletion-request.entity.js';
import type { RequestReplayRow } from './repositories/store-replays.repository.js';

/** A request as brand clients see it (the API's GET record; webhook bodies carry the same). */
export interface RequestRecordView {
  request_id: number;
  siteid: string;
  request_time: string;
  requested_by: string;
  cancelled_by: string | null;
  delete_json: string;
  cancel_timestamp: string | null;
  is_canceled: boolean;
  status: RequestStatus;
  final_at: string;
  completed_at: string | null;
}

export interface StoreProgressView {
  store: StoreName;
  status: string;
  matched: number;
  erased: number;
  not_found: number;
  deferred: number;
  attempts: number;
  last_error: string | null;
  started_at: string | null;
  finished_at: string | null;
  /** Rows the read-back checked, and when (null until verified). */
  verified_rows: number;
  verified_at: string | null;
}

/** A store replay that re-erased the request after a restore (docs/ARCHITECTURE.md, "Store replay"). */
export interface ReplayView {
  replay_id: number;
  store: StoreName;
  status: string;
  started_at: string;
  finished_at: string | null;
  matched: number;
  erased: number;
  not_found: number;
  verified_rows: number;
}

/** One request with its per-store progress and its replays: the GET detail. */
export interface RequestDetailView extends RequestRecordView {
  stores: StoreProgressView[];
  replays: ReplayView[];
}

const iso = (at: Date | null): string | null => at?.toISOString() ?? null;

export function toRecord(entity: DeletionRequestEntity): RequestRecordView {
  return {
    request_id: Number(entity.id),
    siteid: entity.siteId,
    request_time: entity.requestTime.toISOString(),
    requested_by: entity.requestedBy,
    cancelled_by: entity.cancelledBy,
    delete_json: entity.deleteJson,
    cancel_timestamp: iso(entity.cancelTimestamp),
    is_canceled: entity.isCanceled,
    status: entity.status,
    final_at: entity.finalAt.toISOString(),
    completed_at: iso(entity.completedAt),
  };
}

export function toDetail(
  entity: DeletionRequestEntity,
  stores: DeletionRequestStoreEntity[],
  replays: RequestReplayRow[] = [],
): RequestDetailView {
  return {
    ...toRecord(entity),
    stores: stores.map((store) => ({
      store: store.store,
      status: store.status,
      matched: store.matched,
      erased: store.erased,
      not_found: store.notFound,
      deferred: store.deferred,
      attempts: store.attempts,
      last_error: store.lastError,
      started_at: iso(store.startedAt),
      finished_at: iso(store.finishedAt),
      verified_rows: store.verifiedRows,
      verified_at: iso(store.verifiedAt),
    })),
    replays: replays.map(toReplayView),
  };
}

/** A store replay as the detail shows it (and a receipt states it, without its status). */
export function toReplayView(replay: RequestReplayRow): ReplayView {
  return {
    replay_id: Number(replay.replayId),
    store: replay.store,
    status: replay.status,
    started_at: replay.startedAt.toISOString(),
    finished_at: iso(replay.finishedAt),
    matched: replay.matched,
    erased: replay.erased,
    not_found: replay.notFound,
    verified_rows: replay.verifiedRows,
  };
}
