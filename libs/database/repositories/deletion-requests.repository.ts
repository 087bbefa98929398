import { DeletionType, RequestStatus } from '#app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { And, DataSource, EntityManager, LessThan, MoreThanOrEqual, type FindOptionsWhere } from 'typeorm';
import { DeletionRequestEntity } from '../entities/deletion-request.entity.js';

export interface NewDeletionRequest {
  siteId: string;
  deletionType: DeletionType;
  subjectIds: string[];
  deleteJson: string;
  requestedBy: string;
  requestTime: Date;
  finalAt: Date;
  correlationId: string | null;
}

@Injectable()
export class DeletionRequestsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction of the service database. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Inserts a request marked not-yet-enqueued (the outbox marker) inside the caller's transaction. */
  async insert(manager: EntityManager, request: NewDeletionRequest): Promise<DeletionRequestEntity> {
    const repository = manager.getRepository(DeletionRequestEntity);
    const entity = repository.create({
      ...request,
      status: RequestStatus.NotStarted,
      isCanceled: false,
      cancelledBy: null,
      cancelTimestamp: null,
      startedAt: null,
      completedAt: null,
      enqueuedAt: null,
      run: 1,
      failedAt: null,
    });
    return repository.save(entity);
  }

  async markEnqueued(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE deletion_requests SET enqueued_at = now() WHERE id = $1 AND enqueued_at IS NULL`,
      [id],
    );
  }

  findOne(siteId: string, id: string): Promise<DeletionRequestEntity | null> {
    return this.dataSource.getRepository(DeletionRequestEntity).findOneBy({ siteId, id });
  }

  findById(id: string): Promise<DeletionRequestEntity | null> {
    return this.dataSource.getRepository(DeletionRequestEntity).findOneBy({ id });
  }

  /**
   * Cancels a request still inside its window: one conditional update, so a cancel racing the window's end
   * (the orchestrator's own conditional update) either wins or loses, never both. True when it won.
   */
  async cancelIfCancellable(siteId: string, id: string, cancelledBy: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH canceled AS (
         UPDATE deletion_requests SET status = 'CANCELED', is_canceled = true, cancelled_by = $3, cancel_timestamp = $4
         WHERE id = $1 AND site_id = $2 AND status = 'NOT_STARTED' AND final_at > $4 RETURNING id)
       SELECT id FROM canceled`,
      [id, siteId, cancelledBy, now],
    );
    return rows.length === 1;
  }

  /** One page of an account's requests, newest first, strictly before the `beforeId` cursor. */
  list(siteId: string, filter: RequestListFilter, limit: number): Promise<DeletionRequestEntity[]> {
    const where: FindOptionsWhere<DeletionRequestEntity> = { siteId };
    if (filter.status) where.status = filter.status;
    if (filter.beforeId) where.id = LessThan(filter.beforeId);
    if (filter.from && filter.until) where.requestTime = And(MoreThanOrEqual(filter.from), LessThan(filter.until));
    else if (filter.from) where.requestTime = MoreThanOrEqual(filter.from);
    else if (filter.until) where.requestTime = LessThan(filter.until);
    return this.dataSource.getRepository(DeletionRequestEntity).find({ where, order: { id: 'DESC' }, take: limit });
  }
}

export interface RequestListFilter {
  status?: RequestStatus;
  /** Inclusive lower bound on request_time. */
  from?: Date;
  /** Exclusive upper bound on request_time. */
  until?: Date;
  /** Keyset cursor: only ids below it. */
  beforeId?: string;
}
