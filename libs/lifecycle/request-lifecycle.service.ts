import {
  PurgeProgressRepository,
  RequestTransitionsRepository,
  type ChunkResult,
  type DeletionRequestEntity,
} from '#app/database';
import { ConflictError, NotFoundError, RequestStatus, type StoreName } from '#app/domain';
import { Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Every status change of a request, by name: the only place that says which status a transition leaves from and
 * which it reaches (docs/ARCHITECTURE.md, "Request lifecycle"). Recording a request (-> NOT_STARTED) is
 * `RequestRecorder`'s, which reports through the same listeners.
 */
export const TRANSITIONS = {
  cancel: { from: [RequestStatus.NotStarted], to: RequestStatus.Canceled },
  start: { from: [RequestStatus.NotStarted], to: RequestStatus.InProgress },
  finish: { from: [RequestStatus.InProgress], done: RequestStatus.Done, failed: RequestStatus.Failed },
  redrive: { from: [RequestStatus.Failed], to: RequestStatus.InProgress },
} as const;

/**
 * What happened to a request, named as its audit trail names it: one type per won transition (`finish` reports
 * `done` or `failed`). Persisted in audit events: never rename.
 */
export type LifecycleEventType =
  | 'created'
  | 'canceled'
  | 'started'
  | 'done'
  | 'failed'
  | 'redrive'
  | 'store_done'
  | 'store_deferred'
  | 'store_failed'
  /** A store replay (re-erasure after a restore) took the request on; its status does not change. */
  | 'replay_started'
  /** Every chunk of the request in a store replay ended; `details.status` says done or failed. */
  | 'replay_store_done';

/** Which chunk's attempt `recordProgress` records. */
export interface ChunkProgress {
  requestId: string;
  siteId: string;
  store: StoreName;
  chunk: number;
  attempt: number;
}

/** A transition that won, as its listeners see it, inside its transaction. Ids and counts only. */
export interface TransitionEvent {
  type: LifecycleEventType;
  requestId: string;
  siteId: string;
  /** The status it reached. */
  status: RequestStatus;
  /** Who caused it: a user or API key name, or `system:<process>`. */
  actor: string;
  details: Record<string, unknown>;
}

/**
 * Told of every transition that won, in the transaction that made it, so what it writes (an audit event, a
 * webhook event) commits or rolls back with the change itself.
 */
export interface TransitionListener {
  onTransition(manager: EntityManager, events: readonly TransitionEvent[]): Promise<void>;
}

/**
 * The listeners of this process (one instance per app, from the global `TransitionListenersModule`): a lib adds
 * its own, e.g. in `onModuleInit`, so the lifecycle knows nothing of audit trails or webhooks.
 */
@Injectable()
export class TransitionListeners {
  private readonly listeners: TransitionListener[] = [];

  add(listener: TransitionListener): void {
    this.listeners.push(listener);
  }

  get all(): readonly TransitionListener[] {
    return this.listeners;
  }
}

@Global()
@Module({ providers: [TransitionListeners], exports: [TransitionListeners] })
export class TransitionListenersModule {}

/**
 * The request lifecycle: each transition is one conditional statement (racing workers, retries and cancels
 * settle in the database: exactly one wins) and tells whether it won; the listeners run in its transaction.
 */
@Injectable()
export class RequestLifecycle {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transitions: RequestTransitionsRepository,
    private readonly listeners: TransitionListeners,
    private readonly progress: PurgeProgressRepository,
  ) {}

  /** NOT_STARTED -> CANCELED while inside the window, for the caller's account. True when it won. */
  cancel(siteId: string, id: string, actor: string, now: Date): Promise<boolean> {
    return this.inTransaction(async (manager) => {
      const row = await this.transitions.cancel(manager, TRANSITIONS.cancel, { siteId, id, cancelledBy: actor, now });
      return row ? [{ type: 'canceled', requestId: row.id, siteId, status: row.status, actor, details: {} }] : [];
    });
  }

  /** NOT_STARTED -> IN_PROGRESS once the window has ended; false when canceled, not due, or already started. */
  start(id: string, now: Date, actor: string): Promise<boolean> {
    return this.inTransaction(async (manager) => {
      const row = await this.transitions.start(manager, TRANSITIONS.start, id, now);
      return row
        ? [{ type: 'started', requestId: id, siteId: row.siteId, status: row.status, actor, details: {} }]
        : [];
    });
  }

  /** IN_PROGRESS -> DONE (every store done) or FAILED; null when the run is no longer the request's. */
  async finish(id: string, run: number, reason: string, actor: string): Promise<RequestStatus | null> {
    let status: RequestStatus | null = null;
    await this.inTransaction(async (manager) => {
      const row = await this.transitions.finish(manager, TRANSITIONS.finish, id, run, reason);
      if (!row) return [];
      status = row.status;
      const type = row.status === TRANSITIONS.finish.done ? 'done' : 'failed';
      return [{ type, requestId: id, siteId: row.siteId, status: row.status, actor, details: { run } }];
    });
    return status;
  }

  /** FAILED -> IN_PROGRESS with a new run; resets only the failed stores, which it returns. */
  async redrive(id: string, actor: string): Promise<{ request: DeletionRequestEntity; stores: StoreName[] }> {
    let result: { request: DeletionRequestEntity; stores: StoreName[] } | undefined;
    await this.inTransaction(async (manager) => {
      const request = await this.transitions.lockForRedrive(manager, id);
      if (!request) throw new NotFoundError(`request ${id} does not exist`);
      const run = request.run + 1;
      const stores = await this.transitions.redrive(manager, TRANSITIONS.redrive, id, run);
      if (!stores) {
        throw new ConflictError(`request ${id} is ${request.status}; only FAILED requests can be re-driven`);
      }
      Object.assign(request, { status: TRANSITIONS.redrive.to, run, failedAt: null });
      result = { request, stores };
      const details = { run, stores };
      return [{ type: 'redrive', requestId: id, siteId: request.siteId, status: request.status, actor, details }];
    });
    return result!;
  }

  /**
   * Records a chunk's progress (`PurgeProgressRepository.recordChunk`) and tells the listeners when its store
   * became done or failed, or the chunk left ids deferred. The request row is locked first, in the order every
   * transition takes it, so a redrive and a chunk never deadlock.
   */
  async recordProgress(chunk: ChunkProgress, result: ChunkResult, actor: string): Promise<void> {
    await this.inTransaction(async (manager) => {
      const { requestId, siteId, store } = chunk;
      await manager.query(`SELECT 1 FROM deletion_requests WHERE id = $1 FOR NO KEY UPDATE`, [requestId]);
      const change = await this.progress.recordChunk(requestId, store, chunk.chunk, chunk.attempt, result, manager);
      if (!change) return [];
      const base = { requestId, siteId, status: RequestStatus.InProgress, actor };
      const where = { store, chunk: chunk.chunk, attempt: chunk.attempt };
      const events: TransitionEvent[] = [];
      if ((result.deferred ?? 0) > 0 && result.status === 'processing') {
        events.push({ ...base, type: 'store_deferred', details: { ...where, deferred: result.deferred } });
      }
      if (change.before !== change.after && (change.after === 'done' || change.after === 'failed')) {
        const { matched, erased, notFound, deferred, verifiedRows } = change;
        const totals = { matched, erased, not_found: notFound, deferred, verified_rows: verifiedRows };
        events.push({ ...base, type: `store_${change.after}`, details: { ...where, ...totals } });
      }
      return events;
    });
  }

  /** For `RequestRecorder`: tells the listeners of requests recorded in `manager`'s transaction. */
  recorded(manager: EntityManager, events: readonly TransitionEvent[]): Promise<void> {
    return this.tell(manager, events);
  }

  /**
   * For store replays: tells the listeners of replay events (`replay_started`, `replay_store_done`) written in
   * `manager`'s transaction. A replay changes no request's status; its events report the status as it stands.
   */
  replayEvents(manager: EntityManager, events: readonly TransitionEvent[]): Promise<void> {
    return this.tell(manager, events);
  }

  get hasListeners(): boolean {
    return this.listeners.all.length > 0;
  }

  /** Runs `change` in one transaction and tells the listeners of what it returns, in that transaction. */
  private async inTransaction(change: (manager: EntityManager) => Promise<TransitionEvent[]>): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const events = await change(manager);
      await this.tell(manager, events);
      return events.length > 0;
    });
  }

  private async tell(manager: EntityManager, events: readonly TransitionEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const listener of this.listeners.all) await listener.onTransition(manager, events);
  }
}
