import { Expose, Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { int } from './transforms.js';
import { RedisSettings } from './redis-settings.js';

/**
 * The bounded waits: every wait on PostgreSQL, Redis or a store ends, so a silent dependency (a partition, a
 * half-open connection) turns into an error the caller can act on. Part of `AppConfig`; defaults match
 * `.env.example`.
 */
export class WaitSettings extends RedisSettings {
  /** A create not recorded within this long (from its arrival) answers 503 with Retry-After. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(100)
  @Max(60_000)
  CREATE_DEADLINE_MS = 5000;

  /** Server side, service database: PostgreSQL cancels a statement running longer (`statement_timeout`). */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DB_STATEMENT_TIMEOUT_MS = 3000;

  /** Client side, service database: a statement unanswered this long fails and its connection is discarded. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DB_QUERY_TIMEOUT_MS = 4000;

  /** Server side, service database and stores: a wait for a row or table lock (`lock_timeout`). */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DB_LOCK_TIMEOUT_MS = 2000;

  /** Server side: a session idle inside a transaction this long is ended, releasing its locks. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 10_000;

  /** Getting a pooled connection (waiting for a free one, or connecting), service database and stores. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(100)
  @Max(600_000)
  DB_CONNECT_TIMEOUT_MS = 3000;

  /** Idle time before TCP keepalive probes start, on every PostgreSQL and Redis connection. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  TCP_KEEPALIVE_DELAY_MS = 10_000;

  /** Stores: each statement of a purge, both server side and client side (a silent store fails the attempt). */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  PURGE_STATEMENT_TIMEOUT_MS = 10_000;

  /** Redis commands of producers, the nonce store and the reconciler (never the workers' blocking reads). */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(50)
  @Max(600_000)
  REDIS_COMMAND_TIMEOUT_MS = 2000;

  /** Each dependency check of /health/ready: no answer within this long counts as down. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(50)
  @Max(60_000)
  READINESS_TIMEOUT_MS = 1500;

  /**
   * Resolving a webhook endpoint's host name (registration and each delivery): a name server silent this long
   * makes a registration 503 with Retry-After and a delivery attempt fail.
   */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(50)
  @Max(60_000)
  WEBHOOK_DNS_TIMEOUT_MS = 2000;
}
