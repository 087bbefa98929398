import type { RequestStatus, StoreName } from '#app/domain';

/** The rows of store replays (docs/ARCHITECTURE.md, "Store replay"), as `StoreReplaysRepository` answers them. */

/** A request whose erasure in a store a replay re-applies. */
export interface ReplayCandidate {
  id: string;
  siteId: string;
  status: RequestStatus;
  subjectIds: string[];
}

export interface ReplayChunkKey {
  replayId: string;
  requestId: string;
  chunk: number;
}

export interface ReplayChunkRow extends ReplayChunkKey {
  siteId: string;
  store: StoreName;
  ids: string[];
  status: string;
}

export interface StoreReplayRow {
  id: string;
  store: StoreName;
  since: Date;
  siteId: string | null;
  status: 'running' | 'done' | 'failed';
  requests: number;
  ids: number;
  chunks: number;
  /** The throttle it started with. */
  idsPerSecond: number;
  startedAt: Date;
  finishedAt: Date | null;
}

/** Counts summed over chunks: a whole replay's, or one request's share of it. */
export interface ReplayCounts {
  matched: number;
  erased: number;
  notFound: number;
  verifiedRows: number;
}

/** A request's share of one replay, as its detail lists it. */
export interface RequestReplayRow extends ReplayCounts {
  replayId: string;
  store: StoreName;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
}
