import { AppConfig } from '#app/config';
import { DeletionRequestEntity, PurgeProgressRepository } from '#app/database';
import { chunkIds, STORE_OF, type StoreName } from '#app/domain';
import { DeletionFlowProducer, type FlowChunk } from '#app/queue';
import { Injectable } from '@nestjs/common';

/**
 * Fans a request's ids out over its stores: progress rows first (the database is the source of truth), then
 * the flow. Used by the orchestrator, the reconciler (a flow Redis lost) and the re-drive command. Repeating
 * it for the same run changes nothing.
 */
@Injectable()
export class FanOutService {
  constructor(
    private readonly config: AppConfig,
    private readonly progress: PurgeProgressRepository,
    private readonly flows: DeletionFlowProducer,
  ) {}

  /** `stores`: only these stores (a re-drive or a resume); default the store the request's deletion type goes to. */
  async fanOut(
    request: Pick<DeletionRequestEntity, 'id' | 'siteId' | 'run' | 'deletionType' | 'subjectIds' | 'correlationId'>,
    stores?: StoreName[],
  ): Promise<void> {
    const chunked = chunkIds(request.subjectIds, this.config.PURGE_CHUNK_SIZE);
    // A request has one deletion type, so one store; a re-drive or a resume may already know it is done.
    const targets = stores ?? [STORE_OF[request.deletionType]];
    await this.progress.ensurePlan(
      request.id,
      request.run,
      targets.map((store) => ({ store, chunks: chunked.length })),
    );
    const chunks: FlowChunk[] = targets.flatMap((store) => chunked.map((ids, chunk) => ({ store, chunk, ids })));
    await this.flows.add(
      {
        requestId: request.id,
        siteId: request.siteId,
        run: request.run,
        correlationId: request.correlationId ?? undefined,
      },
      chunks,
    );
  }
}
