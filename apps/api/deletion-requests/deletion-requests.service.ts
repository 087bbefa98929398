import { AppConfig } from '#app/config';
import {
  AccountEntity,
  DeletionRequestEntity,
  DeletionRequestsRepository,
  IdempotencyKeysRepository,
  type NewDeletionRequest,
  type QuotaTaken,
} from '#app/database';
import {
  Clock,
  DeletionType,
  engagementPrefixProblem,
  IdempotencyConflictError,
  InvalidRequestError,
  withTimeout,
  type QuotaTake,
} from '#app/domain';
import { createDeadlineError, RequestRecorder } from '#app/lifecycle';
import { metrics } from '#app/observability';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Principal } from '../auth/principal.js';
import { QuotaService, type QuotaState } from '../quota/quota.service.js';
import { CreateDeletionRequestDto } from './dto/create-deletion-request.dto.js';
import { JobRelay } from './job-relay.js';

/** How long an Idempotency-Key replays its first answer. */
const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

export interface CreateResult {
  request: DeletionRequestEntity;
  /** True when an Idempotency-Key replayed an earlier create. */
  replayed: boolean;
  quota: QuotaState;
}

/**
 * The create use case: the rules that need the account, the idempotency replay, then record (with a quota unit),
 * then relay. A create answers once its row is committed (the outbox): the job is relayed to Redis right after,
 * in the background, and the reconciler relays whatever a crash or a Redis outage left behind.
 */
@Injectable()
export class DeletionRequestsService {
  constructor(
    private readonly requests: DeletionRequestsRepository,
    private readonly recorder: RequestRecorder,
    private readonly idempotencyKeys: IdempotencyKeysRepository,
    private readonly quota: QuotaService,
    private readonly relay: JobRelay,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * `arrivedAt` (a `performance.now()` time): when the HTTP request arrived. A create not recorded within
   * CREATE_DEADLINE_MS of it fails with a DeadlineExceededError (503). Without a key the insert batcher bounds
   * the wait (no timer of its own); with one, a timer bounds the key's transaction.
   */
  create(
    account: AccountEntity,
    principal: Principal,
    dto: CreateDeletionRequestDto,
    correlationId: string | null,
    idempotencyKey?: string,
    arrivedAt = performance.now(),
  ): Promise<CreateResult> {
    const deadline = arrivedAt + this.config.CREATE_DEADLINE_MS;
    const created = this.createBefore(deadline, account, principal, dto, correlationId, idempotencyKey);
    if (!idempotencyKey) return created;
    return withTimeout(created, deadline - performance.now(), () =>
      createDeadlineError('its Idempotency-Key transaction had not committed'),
    );
  }

  private async createBefore(
    deadline: number,
    account: AccountEntity,
    principal: Principal,
    dto: CreateDeletionRequestDto,
    correlationId: string | null,
    idempotencyKey?: string,
  ): Promise<CreateResult> {
    const { type, ids } = CreateDeletionRequestDto.selection(dto);
    this.checkAccountRules(account, type, ids);
    const deleteJson = JSON.stringify({ [type]: ids });
    const bodyHash = idempotencyKey ? createHash('sha256').update(deleteJson).digest('hex') : '';
    const requestTime = this.clock.now();

    if (idempotencyKey) {
      const replay = await this.replay(account, idempotencyKey, bodyHash, requestTime);
      if (replay) return replay;
    }
    this.quota.assertNotExhausted(account, requestTime);

    const windowSeconds = account.cancellationWindowSeconds ?? this.config.DEFAULT_CANCELLATION_WINDOW_SECONDS;
    const request: NewDeletionRequest = {
      siteId: account.siteId,
      deletionType: type,
      subjectIds: ids,
      deleteJson,
      requestedBy: principal.subject,
      requestTime,
      finalAt: new Date(requestTime.getTime() + windowSeconds * 1000),
      correlationId,
    };
    // Recorded first, marked not-yet-enqueued, with its quota unit: the job is added only once that is committed.
    const taken = idempotencyKey
      ? await this.recordWithKey(account, request, idempotencyKey, bodyHash)
      : await this.record(account, request, (take) => this.recorder.record(request, take, deadline));
    if (!taken) {
      // A concurrent create with the same key committed first: answer as it did.
      const replay = await this.replay(account, idempotencyKey!, bodyHash, requestTime);
      if (replay) return replay;
      throw new Error(`Idempotency-Key claimed but not found for account ${account.siteId}`);
    }
    metrics.requestsCreated.inc({ deletion_type: type });
    this.relay.relay(taken.request);
    return {
      request: taken.request,
      replayed: false,
      quota: this.quota.stateWith(account, requestTime, taken.monthUsed),
    };
  }

  /**
   * The Idempotency-Key path: the key is claimed in the same transaction that records the request, so concurrent
   * creates with one key wait for each other and create one request. Null when the key was claimed elsewhere.
   */
  private recordWithKey(
    account: AccountEntity,
    request: NewDeletionRequest,
    key: string,
    bodyHash: string,
  ): Promise<QuotaTaken | null> {
    return this.requests.transaction(async (manager) => {
      const expiredBefore = new Date(request.requestTime.getTime() - IDEMPOTENCY_WINDOW_MS);
      if (
        !(await this.idempotencyKeys.claim(manager, account.siteId, key, bodyHash, request.requestTime, expiredBefore))
      )
        return null;
      const taken = await this.record(account, request, (take) => this.recorder.recordIn(manager, request, take));
      await this.idempotencyKeys.attach(manager, account.siteId, key, taken.request.id);
      return taken;
    });
  }

  /** Records the request on the first quota slot that takes it; 429 when none does (the month is used up). */
  private async record(
    account: AccountEntity,
    request: NewDeletionRequest,
    recordOn: (take: QuotaTake) => Promise<QuotaTaken | null>,
  ): Promise<QuotaTaken> {
    for await (const take of this.quota.slotsToTry(account, request.requestTime)) {
      const taken = await recordOn(take);
      if (taken) return taken;
    }
    throw this.quota.usedUp(account, request.requestTime);
  }

  /** The earlier request of this key (no quota taken), 422 for another body, or null for an unused key. */
  private async replay(account: AccountEntity, key: string, bodyHash: string, now: Date): Promise<CreateResult | null> {
    const since = new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS);
    const stored = await this.idempotencyKeys.find(account.siteId, key, since);
    if (!stored?.requestId) return null;
    if (stored.bodyHash !== bodyHash) {
      throw new IdempotencyConflictError(`Idempotency-Key "${key}" was already used with a different body`);
    }
    const request = await this.requests.findOne(account.siteId, stored.requestId);
    if (!request) return null;
    return { request, replayed: true, quota: await this.quota.state(account, now) };
  }

  private checkAccountRules(account: AccountEntity, type: DeletionType, ids: string[]): void {
    if (type === DeletionType.Engagement) {
      const problem = engagementPrefixProblem(account.siteId, ids);
      if (problem) throw new InvalidRequestError(problem);
    }
    if (type === DeletionType.Ticketing && !account.legacyTicketing) {
      throw new InvalidRequestError(
        `ticketing deletion is only available to legacy-ticketing accounts; account ${account.siteId} is not one`,
      );
    }
  }
}
