import { AppConfig } from '#app/config';
import { AccountEntity, DeletionRequestEntity, DeletionRequestsRepository } from '#app/database';
import { Clock, DeletionType, engagementPrefixProblem, InvalidRequestError } from '#app/domain';
import { DeletionJobsProducer } from '#app/queue';
import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { CreateDeletionRequestDto } from './dto/create-deletion-request.dto.js';

/** The create use case: rules that need the account, the outbox write, then the enqueue. */
@Injectable()
export class DeletionRequestsService {
  private readonly logger = new Logger(DeletionRequestsService.name);

  constructor(
    private readonly requests: DeletionRequestsRepository,
    private readonly producer: DeletionJobsProducer,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async create(
    account: AccountEntity,
    principal: Principal,
    dto: CreateDeletionRequestDto,
    correlationId: string | null,
  ): Promise<DeletionRequestEntity> {
    const { type, ids } = CreateDeletionRequestDto.selection(dto);
    this.checkAccountRules(account, type, ids);
    const requestTime = this.clock.now();
    const windowSeconds = account.cancellationWindowSeconds ?? this.config.DEFAULT_CANCELLATION_WINDOW_SECONDS;
    const finalAt = new Date(requestTime.getTime() + windowSeconds * 1000);

    // Committed first, marked not-yet-enqueued: the job is never added inside the open transaction.
    const request = await this.requests.transaction((manager) =>
      this.requests.insert(manager, {
        siteId: account.siteId,
        deletionType: type,
        subjectIds: ids,
        deleteJson: JSON.stringify({ [type]: ids }),
        requestedBy: principal.subject,
        requestTime,
        finalAt,
        correlationId,
      }),
    );
    await this.enqueue(request);
    return request;
  }

  /**
   * Adds the delayed orchestrator job and marks the row enqueued. When Redis does not answer in time the
   * request still stands: the worker's reconciler enqueues whatever is left unmarked.
   */
  private async enqueue(request: DeletionRequestEntity): Promise<void> {
    const payload = { requestId: request.id, correlationId: request.correlationId ?? undefined };
    const added = this.producer
      .enqueueStart(payload, request.finalAt, this.clock.now())
      .then(() => this.requests.markEnqueued(request.id));
    try {
      await withTimeout(added, this.config.ENQUEUE_TIMEOUT_MS);
      request.enqueuedAt = new Date();
    } catch (error) {
      added.catch(() => undefined);
      this.logger.warn(
        `request ${request.id} recorded but not enqueued (${(error as Error).message}); the reconciler will enqueue it`,
      );
    }
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

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
