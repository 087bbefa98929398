import { Expose, Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, Matches, Max, Min, ValidateBy } from 'class-validator';
import { Resolver } from 'node:dns';
import { bool, emptyToUndefined, int } from './transforms.js';
import { ProofSettings } from './proof-settings.js';

/** Whether a resolver accepts these name servers (what the webhook resolver will be given), without a query. */
function resolverTakes(servers: string[]): boolean {
  try {
    new Resolver().setServers(servers);
    return true;
  } catch {
    return false;
  }
}

const num = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/** Status-change webhooks (docs/ARCHITECTURE.md, "Status-change webhooks"). Part of `AppConfig`. */
export class WebhookSettings extends ProofSettings {
  /** Allow endpoints on loopback, private, link-local and multicast addresses: development and tests only. */
  @Expose()
  @Transform(bool)
  @IsBoolean()
  WEBHOOK_ALLOW_PRIVATE = false;

  /** A delivery is retried with exponential backoff this long after its first attempt, then marked failed. */
  @Expose()
  @Transform(num)
  @IsNumber()
  @Min(0.0001)
  @Max(24 * 30)
  WEBHOOK_RETRY_HOURS = 24;

  /** An endpoint whose deliveries failed without a success for this long is disabled. */
  @Expose()
  @Transform(num)
  @IsNumber()
  @Min(0.0001)
  @Max(24 * 365)
  WEBHOOK_DISABLE_AFTER_HOURS = 72;

  /** The first retry's delay; each next one doubles, up to WEBHOOK_RETRY_MAX_DELAY_MS. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  WEBHOOK_RETRY_BASE_MS = 5000;

  @Expose()
  @Transform(int)
  @IsInt()
  @Min(10)
  @Max(86_400_000)
  WEBHOOK_RETRY_MAX_DELAY_MS = 3_600_000;

  /** A receiver that has not answered within this long counts as a failed attempt. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** How often the worker moves newly written deliveries from the outbox onto the queue. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(50)
  @Max(60_000)
  WEBHOOK_DISPATCH_INTERVAL_MS = 1000;

  /** Deliveries each worker process runs at once: a hanging receiver holds one slot for the timeout at most. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(256)
  CONCURRENCY_WEBHOOKS = 16;

  /**
   * The ports an endpoint URL may name (443 by default; 80 is added for plain http outside production). With
   * WEBHOOK_ALLOW_PRIVATE any port is accepted (development and tests, whose receivers use random ports).
   */
  @Expose()
  @Matches(/^\d{1,5}(,\d{1,5})*$/, {
    message: 'WEBHOOK_ALLOWED_PORTS must be port numbers separated by commas (443,8443)',
  })
  WEBHOOK_ALLOWED_PORTS = '443';

  /** The name servers that resolve endpoint hosts, `ip` or `ip:port`, comma-separated; unset: the system's. */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @ValidateBy({
    name: 'dnsServers',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && resolverTakes(value.split(',')),
      defaultMessage: () => 'WEBHOOK_DNS_SERVERS must be IP addresses (ip, ip:port or [ipv6]:port) separated by commas',
    },
  })
  WEBHOOK_DNS_SERVERS?: string;

  /** Redeliveries an account may ask for within WEBHOOK_REDELIVER_WINDOW_SECONDS (per API process), then 429. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(100_000)
  WEBHOOK_REDELIVER_LIMIT = 30;

  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(86_400)
  WEBHOOK_REDELIVER_WINDOW_SECONDS = 60;

  /** Finished deliveries, and events left without deliveries, are deleted this many days after they ended. */
  @Expose()
  @Transform(num)
  @IsNumber()
  @Min(0.0001)
  @Max(3650)
  WEBHOOK_RETENTION_DAYS = 30;
}
