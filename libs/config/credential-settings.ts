import { Expose, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsIP,
  isIP,
  IsOptional,
  IsString,
  IsUrl,
  Max,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { bool, emptyToUndefined, int } from './transforms.js';

/**
 * Where the apps listen, how the API reads credentials, and the operations surface's own credentials and limits;
 * part of `AppConfig` (the rules that tie these to other settings, such as the production requirements, are in
 * `loadConfig`).
 */
export class CredentialSettings {
  /**
   * The address the API's public listener binds to. Loopback by default, so a fresh machine serves only itself;
   * a container or host that serves others sets `0.0.0.0` (and then secrets of its own).
   */
  @Expose()
  @ValidateBy(
    { name: 'isListenHost', validator: { validate: (value) => isIP(value) || value === 'localhost' } },
    { message: 'HOST must be an IP address (127.0.0.1, 0.0.0.0, ::) or localhost' },
  )
  HOST = '127.0.0.1';

  /**
   * The URL callers reach the API at (`https://pdd.example.com`): the base of OAuth 1.0a signatures behind a
   * TLS proxy. Unset: the forwarded headers when TRUST_PROXY, else the request's own protocol and Host.
   */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  PUBLIC_BASE_URL?: string;

  /** Believe `X-Forwarded-Proto` / `X-Forwarded-Host`: only behind a proxy that sets them itself. */
  @Expose()
  @Transform(bool)
  @IsBoolean()
  TRUST_PROXY = false;

  /** Oldest a bearer token may be, by its `iat` (then required); required when NODE_ENV=production. */
  @Expose()
  @Transform(int)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30 * 24 * 3600)
  AUTH_JWT_MAX_AGE_SECONDS?: number;

  /** Leeway on `exp`, `nbf` and `iat` for clocks slightly apart. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(0)
  @Max(300)
  AUTH_JWT_CLOCK_TOLERANCE_SECONDS = 5;

  /** The API's operations listener (/metrics, the queue dashboard); never published to the public. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(0)
  @Max(65535)
  OPS_PORT = 3100;

  /** Address of the API's operations listener and of the worker's one listener: loopback unless scraped. */
  @Expose()
  @IsIP()
  OPS_HOST = '127.0.0.1';

  /** Failed authentications (401) allowed per client address and per credential key in a window, then 429. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(100_000)
  AUTH_FAILURE_LIMIT = 10;

  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(86_400)
  AUTH_FAILURE_WINDOW_SECONDS = 60;

  /** HTTP Basic credentials of the queue dashboard at /admin/queues; unset: the dashboard is not mounted. */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(1)
  ADMIN_USER?: string;

  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(12)
  ADMIN_PASSWORD?: string;
}
