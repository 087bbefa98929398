import { MAX_IDS_PER_REQUEST } from '#app/domain';
import { Expose, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { bool, emptyToUndefined, int } from './transforms.js';
import { WebhookSettings } from './webhook-settings.js';

/** The HS256 secret `.env.example` ships with: refused when NODE_ENV=production, or HOST is not loopback. */
export const DEVELOPMENT_JWT_SECRET = 'development-only-secret-do-not-use-in-production';

/** The API key encryption key `.env.example` ships with: refused like DEVELOPMENT_JWT_SECRET. */
export const DEVELOPMENT_API_KEY_ENCRYPTION_KEY = 'ZGV2ZWxvcG1lbnQtb25seS1rZXktMzItYnl0ZXMhISE=';

const POSTGRES_URL = { protocols: ['postgres', 'postgresql'], require_tld: false, require_protocol: true };

/**
 * Every setting of every app, read from the environment once at start (see `loadConfig`).
 * Defaults match `.env.example`. The listener and credential settings are in `CredentialSettings`, Redis in
 * `RedisSettings` (which extends it), the bounded waits in `WaitSettings` (which extends that), proof of erasure in
 * `ProofSettings` and the webhooks in `WebhookSettings` (each extending the one before).
 */
export class AppConfig extends WebhookSettings {
  @Expose()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Expose()
  @IsUrl(POSTGRES_URL)
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/personal_data_deletion';

  @Expose()
  @Transform(int)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Expose()
  @Transform(int)
  @IsInt()
  @Min(0)
  @Max(65535)
  WORKER_PORT = 3001;

  /** BullMQ key prefix; the `{...}` hash tag keeps every key of a queue in one Redis Cluster slot. */
  @Expose()
  @Matches(/^[^\s{}]*\{[^\s{}]+\}[^\s{}]*$/, { message: 'QUEUE_PREFIX must contain one hash tag such as {pdd}' })
  QUEUE_PREFIX = '{pdd}';

  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(16)
  AUTH_JWT_SECRET?: string;

  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  AUTH_JWKS_URL?: string;

  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUTH_JWT_ISSUER?: string;

  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  AUTH_JWT_AUDIENCE?: string;

  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  DEFAULT_MONTHLY_QUOTA = 100;

  @Expose()
  @Transform(int)
  @IsInt()
  @Min(0)
  @Max(365 * 24 * 3600)
  DEFAULT_CANCELLATION_WINDOW_SECONDS = 432000;

  @Expose()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** `auto`: human-readable lines when the output is a terminal, JSON lines otherwise (files, pipes, collectors). */
  @Expose()
  @IsIn(['auto', 'json', 'pretty'])
  LOG_FORMAT: 'auto' | 'json' | 'pretty' = 'auto';

  /**
   * Request context of the API's log lines through AsyncLocalStorage (nestjs-pino's own): `auto` turns it on from
   * Node.js 24, where it costs nothing measurable; on 20 it costs promise-heavy code 2.6x (BENCHMARKS.md).
   */
  @Expose()
  @IsIn(['auto', 'on', 'off'])
  LOG_ASYNC_CONTEXT: 'auto' | 'on' | 'off' = 'auto';

  /** How long the API's relay waits for Redis to add a round of jobs before leaving them to the reconciler. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(50)
  @Max(60_000)
  ENQUEUE_TIMEOUT_MS = 2000;

  /**
   * How far V8 lets the heap grow past what the last full collection kept, in percent (0: V8's own choice, which
   * under load let the API's heap reach ~4x its live size and its RSS past 250 MB). See `applyHeapGrowth`.
   */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(0)
  @Max(400)
  HEAP_GROWTH_PERCENT = 50;

  /** Seconds the worker waits for jobs in hand on SIGTERM before it closes anyway. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(3600)
  SHUTDOWN_TIMEOUT_SECONDS = 30;

  /** Comma-separated queues this worker process consumes; empty means all of them. */
  @Expose()
  @IsOptional()
  @Matches(/^[a-z-]*(,[a-z-]+)*$/, { message: 'WORKER_QUEUES must be a comma-separated list of queue names' })
  WORKER_QUEUES = '';

  /** Jobs each worker process runs at once, per queue. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(256)
  CONCURRENCY_ORCHESTRATOR = 4;

  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(256)
  CONCURRENCY_PURGE_CHAT = 4;

  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(256)
  CONCURRENCY_PURGE_MESSAGING = 4;

  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(256)
  CONCURRENCY_PURGE_CONSUMER = 4;

  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(256)
  CONCURRENCY_PURGE_TICKETING = 4;

  /** Each store's database; empty means DATABASE_URL (each store then lives in its own schema there). */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(POSTGRES_URL)
  STORE_CHAT_URL?: string;

  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(POSTGRES_URL)
  STORE_MESSAGING_URL?: string;

  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(POSTGRES_URL)
  STORE_CONSUMER_URL?: string;

  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(POSTGRES_URL)
  STORE_TICKETING_URL?: string;

  /** Ids per purge job: a request's ids are split into chunks, one job and one store transaction each. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  // A chunk holds at most one request's ids, as a purge payload does.
  @Max(MAX_IDS_PER_REQUEST)
  PURGE_CHUNK_SIZE = MAX_IDS_PER_REQUEST;

  /** Tries per purge job before its store is reported failed, and the first backoff (doubling each time). */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(100)
  PURGE_ATTEMPTS = 8;

  @Expose()
  @Transform(int)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  PURGE_BACKOFF_MS = 5000;

  /** How soon a purge with still-open chats or conversations looks again. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  DEFER_RETRY_SECONDS = 3600;

  /** Days after final_at by which every id must be erased; still-open ones are then reported failed. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(0)
  @Max(365)
  DELETION_DEADLINE_DAYS = 20;

  /** Ids per second a store replay re-erases (per replay): a store just restored is not swamped. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  REPLAY_IDS_PER_SECOND = 500;

  /** How often the reconciler repairs what Redis lost or was never told. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(200)
  @Max(3_600_000)
  RECONCILE_INTERVAL_MS = 60_000;

  /** A worker that dies holding a job loses it after this long; another worker then takes it over. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(500)
  @Max(600_000)
  WORKER_LOCK_DURATION_MS = 30_000;

  /** AES-256-GCM key (32 bytes, base64) that encrypts API key secrets at rest. */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'API_KEY_ENCRYPTION_KEY must be 32 bytes in base64 (openssl rand -base64 32)',
  })
  API_KEY_ENCRYPTION_KEY?: string;

  /** Require `oauth_body_hash` on OAuth 1.0a requests that carry a body; unset: only when NODE_ENV=production. */
  @Expose()
  @Transform(bool)
  @IsOptional()
  @IsBoolean()
  AUTH_OAUTH_REQUIRE_BODY_HASH?: boolean;

  /** How far an OAuth 1.0a timestamp may be from the server's clock. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(10)
  @Max(3600)
  AUTH_OAUTH_MAX_SKEW_SECONDS = 300;
}
