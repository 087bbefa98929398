import { Expose, Transform } from 'class-transformer';
import { IsBoolean, IsInt, isIP, IsOptional, IsUrl, Max, Min, ValidateBy } from 'class-validator';
import { bool, emptyToUndefined, int } from './transforms.js';

/**
 * Where the API listens and how it reads credentials; part of `AppConfig` (the rules that tie these to other
 * settings, such as the production requirements, are in `loadConfig`).
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
}
