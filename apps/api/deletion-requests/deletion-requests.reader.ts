import {
  AccountEntity,
  DeletionRequestEntity,
  DeletionRequestsRepository,
  PurgeProgressRepository,
  StoreReplaysRepository,
} from '#app/database';
import { InvalidRequestError, isoDay, NotFoundError } from '#app/domain';
import { Injectable } from '@nestjs/common';
import { toDetail, type DeletionRequestDetail } from './dto/deletion-request-record.dto.js';
import type { ListDeletionRequestsQuery } from './dto/list-deletion-requests.query.js';

const DAY_MS = 24 * 3600 * 1000;
export const DEFAULT_PAGE_SIZE = 50;

export interface RequestPage {
  requests: DeletionRequestEntity[];
  /** The cursor of the next page, when there is one. */
  nextCursor?: string;
}

/** Reading an account's requests: one with its per-store progress and replays, or a filtered page. */
@Injectable()
export class DeletionRequestsReader {
  constructor(
    private readonly requests: DeletionRequestsRepository,
    private readonly progress: PurgeProgressRepository,
    private readonly replays: StoreReplaysRepository,
  ) {}

  async get(account: AccountEntity, id: string): Promise<DeletionRequestDetail> {
    const request = await this.requests.findOne(account.siteId, id);
    if (!request) throw new NotFoundError(`request ${id} does not exist for account ${account.siteId}`);
    const [stores, replays] = await Promise.all([
      this.progress.findStores(id),
      this.replays.forRequest(account.siteId, id),
    ]);
    return toDetail(request, stores, replays);
  }

  async list(account: AccountEntity, query: ListDeletionRequestsQuery): Promise<RequestPage> {
    const from = query.fromDate ? utcDay(query.fromDate, 'fromDate') : undefined;
    const to = query.toDate ? utcDay(query.toDate, 'toDate') : undefined;
    if (from && to && from > to)
      throw new InvalidRequestError(`fromDate ${query.fromDate} is after toDate ${query.toDate}`);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const rows = await this.requests.list(
      account.siteId,
      { status: query.status, from, until: to && new Date(to.getTime() + DAY_MS), beforeId: query.cursor },
      limit + 1,
    );
    const requests = rows.slice(0, limit);
    return { requests, nextCursor: rows.length > limit ? requests[requests.length - 1].id : undefined };
  }
}

/** A yyyy-mm-dd day (already shape-checked) as its first instant in UTC; 400 for a day that does not exist. */
function utcDay(day: string, field: string): Date {
  const at = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(at.getTime()) || isoDay(at) !== day) {
    throw new InvalidRequestError(`${field} ${day} is not a calendar date`);
  }
  return at;
}
