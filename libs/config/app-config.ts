import { Expose, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

/** The HS256 secret that `.env.example` ships with. Never accepted when NODE_ENV=production. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-do-not-use-in-production';

const int = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);

/**
 * Every setting of every app, read from the environment once at start (see `loadConfig`).
 * Defaults match `.env.example`.
 */
export class AppConfig {
  @Expose() @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Expose() @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/personal_data_deletion';

  @Expose() @IsUrl({ protocols: ['redis', 'rediss'], require_tld: false, require_protocol: true })
  REDIS_URL = 'redis://127.0.0.1:6379';

  @Expose() @Transform(int) @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @Expose() @Transform(int) @IsInt() @Min(0) @Max(65535)
  WORKER_PORT = 3001;

  /** BullMQ key prefix; the `{...}` hash tag keeps every key of a queue in one Redis Cluster slot. */
  @Expose() @Matches(/^[^\s{}]*\{[^\s{}]+\}[^\s{}]*$/, { message: 'QUEUE_PREFIX must contain one hash tag such as {pdd}' })
  QUEUE_PREFIX = '{pdd}';

  @Expose() @Transform(emptyToUndefined) @IsOptional() @IsString() @MinLength(16)
  AUTH_JWT_SECRET?: string;

  @Expose() @Transform(emptyToUndefined) @IsOptional() @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  AUTH_JWKS_URL?: string;

  @Expose() @Transform(emptyToUndefined) @IsOptional() @IsString()
  AUTH_JWT_ISSUER?: string;

  @Expose() @Transform(emptyToUndefined) @IsOptional() @IsString()
  AUTH_JWT_AUDIENCE?: string;

  @Expose() @Transform(int) @IsInt() @Min(1) @Max(1_000_000)
  DEFAULT_MONTHLY_QUOTA = 100;

  @Expose() @Transform(int) @IsInt() @Min(0) @Max(365 * 24 * 3600)
  DEFAULT_CANCELLATION_WINDOW_SECONDS = 432000;

  @Expose() @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** How long the API waits for Redis when enqueuing before leaving the job to the reconciler. */
  @Expose() @Transform(int) @IsInt() @Min(50) @Max(60_000)
  ENQUEUE_TIMEOUT_MS = 2000;

  /** Seconds the worker waits for jobs in hand on SIGTERM before it closes anyway. */
  @Expose() @Transform(int) @IsInt() @Min(1) @Max(3600)
  SHUTDOWN_TIMEOUT_SECONDS = 30;

  /** Comma-separated queues this worker process consumes; empty means all of them. */
  @Expose() @IsOptional() @Matches(/^[a-z-]*(,[a-z-]+)*$/, { message: 'WORKER_QUEUES must be a comma-separated list of queue names' })
  WORKER_QUEUES = '';

  /** Jobs each worker process runs at once, per queue. */
  @Expose() @Transform(int) @IsInt() @Min(1) @Max(256)
  CONCURRENCY_ORCHESTRATOR = 4;

  @Expose() @Transform(int) @IsInt() @Min(1) @Max(256)
  CONCURRENCY_PURGE_CHAT = 4;

  @Expose() @Transform(int) @IsInt() @Min(1) @Max(256)
  CONCURRENCY_PURGE_MESSAGING = 4;

  @Expose() @Transform(int) @IsInt() @Min(1) @Max(256)
  CONCURRENCY_PURGE_CONSUMER = 4;

  @Expose() @Transform(int) @IsInt() @Min(1) @Max(256)
  CONCURRENCY_PURGE_TICKETING = 4;
}
