import type { AppConfig } from '#app/config';
import pg from 'pg';

/** The message pg gives a query its client-side `query_timeout` cut. */
const QUERY_READ_TIMEOUT = 'Query read timeout';

/** PostgreSQL's codes for a statement cut by `statement_timeout` (57014) or `lock_timeout` (55P03). */
const SERVER_TIMEOUT_CODES = new Set(['57014', '55P03']);

/**
 * A pg client that closes its socket when a query's client-side timeout fires. pg itself leaves the connection
 * in the pool with the unanswered query still ahead of the next one, so a connection silenced by a partition
 * would be handed out again; closed, the pool drops it and the next caller gets a fresh one.
 */
export class DiscardOnTimeoutClient extends pg.Client {
  override query(...args: unknown[]): never {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: unknown, result: unknown) => {
        this.discardIfTimedOut(error);
        (callback as (error: unknown, result: unknown) => void)(error, result);
      };
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) result.catch((error: unknown) => this.discardIfTimedOut(error));
    return result as never;
  }

  private discardIfTimedOut(error: unknown): void {
    if ((error as Error | undefined)?.message !== QUERY_READ_TIMEOUT) return;
    // `end` marks the client ending at once, so the pool drops it when it comes back (even before its socket
    // has closed); the socket is destroyed rather than closed politely, since nothing gets through anyway.
    void this.end().catch(() => undefined);
    (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }
}

/** The bounded waits of one pool: what the pg driver takes as pool and connection options. */
export interface ConnectionWaits {
  statementTimeoutMs: number;
  queryTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  connectTimeoutMs: number;
  keepAliveDelayMs: number;
}

/** The service database's waits. */
export function serviceWaits(config: AppConfig): ConnectionWaits {
  return {
    ...commonWaits(config),
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    queryTimeoutMs: config.DB_QUERY_TIMEOUT_MS,
  };
}

/** A store's waits: each purge statement is bounded by PURGE_STATEMENT_TIMEOUT_MS on both sides. */
export function storeWaits(config: AppConfig): ConnectionWaits {
  const statement = config.PURGE_STATEMENT_TIMEOUT_MS;
  return { ...commonWaits(config), statementTimeoutMs: statement, queryTimeoutMs: statement };
}

function commonWaits(config: AppConfig): Omit<ConnectionWaits, 'statementTimeoutMs' | 'queryTimeoutMs'> {
  return {
    lockTimeoutMs: config.DB_LOCK_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    keepAliveDelayMs: config.TCP_KEEPALIVE_DELAY_MS,
  };
}

/**
 * pg pool options for `waits`. The server-side timeouts go in the startup packet (no extra round trip per
 * connection); without `waits` (migrations, which may run long) only the connect is bounded.
 */
export function poolOptions(waits: ConnectionWaits | undefined): Record<string, unknown> {
  if (!waits) return { connectionTimeoutMillis: 3000 };
  return {
    Client: DiscardOnTimeoutClient,
    connectionTimeoutMillis: waits.connectTimeoutMs,
    statement_timeout: waits.statementTimeoutMs,
    lock_timeout: waits.lockTimeoutMs,
    idle_in_transaction_session_timeout: waits.idleInTransactionTimeoutMs,
    query_timeout: waits.queryTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: waits.keepAliveDelayMs,
  };
}

/** True for a statement cut by a timeout, client or server side: the database is slow or silent, not the row bad. */
export function isStatementTimeout(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 4; depth++) {
    if (cause.message === QUERY_READ_TIMEOUT) return true;
    if (SERVER_TIMEOUT_CODES.has(String((cause as { code?: unknown }).code))) return true;
    cause = (cause as { driverError?: unknown }).driverError ?? (cause as { cause?: unknown }).cause;
  }
  return false;
}
