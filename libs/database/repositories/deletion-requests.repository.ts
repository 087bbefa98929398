import { DeletionType, RequestStatus } from '#app/domain';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
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
}
