import { AccountEntity, DeletionRequestEntity, DeletionRequestsRepository } from '#app/database';
import { RequestLifecycle } from '#app/lifecycle';
import { Clock, ConflictError, NotFoundError, RequestStatus } from '#app/domain';
import { metrics } from '#app/observability';
import { DeletionJobsProducer } from '#app/queue';
import { Injectable, Logger } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { JobRelay } from './job-relay.js';

/** Cancel inside the window (docs/ARCHITECTURE.md, "Cancellation"): decided in the database, never a request both canceled and erased. */
@Injectable()
export class CancellationService {
  private readonly logger = new Logger(CancellationService.name);

  constructor(
    private readonly requests: DeletionRequestsRepository,
    private readonly lifecycle: RequestLifecycle,
    private readonly producer: DeletionJobsProducer,
    private readonly relay: JobRelay,
    private readonly clock: Clock,
  ) {}

  async cancel(account: AccountEntity, principal: Principal, id: string): Promise<DeletionRequestEntity> {
    const won = await this.lifecycle.cancel(account.siteId, id, principal.subject, this.clock.now());
    const request = await this.requests.findOne(account.siteId, id);
    if (!request) throw new NotFoundError(`request ${id} does not exist for account ${account.siteId}`);
    if (won) {
      metrics.requestsCanceled.inc();
      await this.relay.settled(id); // a job still on its way to Redis is removed once there
      await this.producer
        .removeStart(id)
        .catch((error: Error) =>
          this.logger.warn(
            `request ${id} canceled; its job could not be removed now (${error.message}) and will stop itself`,
          ),
        );
      return request;
    }
    // Canceled already: a retry is harmless and answers the same record.
    if (request.status === RequestStatus.Canceled) return request;
    throw new ConflictError(
      `request ${id} is final (${request.status}) since ${request.finalAt.toISOString()} and can no longer be canceled`,
    );
  }
}
