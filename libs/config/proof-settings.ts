import { Expose, Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { emptyToUndefined, int } from './transforms.js';
import { WaitSettings } from './wait-settings.js';

/** Proof of erasure (docs/ARCHITECTURE.md, "Proof"): read-back, receipts, the deadline watch. Part of `AppConfig`. */
export class ProofSettings extends WaitSettings {
  /** Erasures of a chunk in all while its read-back still finds personal data (late data); then the store fails. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(1)
  @Max(10)
  VERIFY_MAX_ERASURES = 3;

  /** A request not finished this many days before its deletion deadline counts in `pdd_requests_at_risk`. */
  @Expose()
  @Transform(int)
  @IsInt()
  @Min(0)
  @Max(365)
  DEADLINE_WARNING_DAYS = 3;

  /**
   * A JSON array of private EC P-256 JWKs (each with `kid`): the first signs receipts, all are published at
   * /.well-known/jwks.json. Unset: a development key kept in the database (refused when NODE_ENV=production).
   */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  RECEIPT_SIGNING_KEYS?: string;

  /** The receipts' `iss`; unset: PUBLIC_BASE_URL, else `personal-data-deletion`. */
  @Expose()
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  RECEIPT_ISSUER?: string;
}

/** RECEIPT_SIGNING_KEYS' shape, and its presence in production; the messages never show a key. */
export function receiptKeyProblems(config: ProofSettings & { NODE_ENV: string }): string[] {
  if (config.RECEIPT_SIGNING_KEYS === undefined) {
    return config.NODE_ENV === 'production'
      ? ['RECEIPT_SIGNING_KEYS: must be set when NODE_ENV=production (the development key is refused)']
      : [];
  }
  let keys: unknown;
  try {
    keys = JSON.parse(config.RECEIPT_SIGNING_KEYS);
  } catch {
    return ['RECEIPT_SIGNING_KEYS: must be a JSON array of private JWKs (it is not JSON)'];
  }
  if (!Array.isArray(keys) || keys.length === 0) {
    return ['RECEIPT_SIGNING_KEYS: must be a non-empty JSON array of private JWKs'];
  }
  const bad = keys.flatMap((key: Record<string, unknown> | null, index) =>
    key &&
    key.kty === 'EC' &&
    key.crv === 'P-256' &&
    typeof key.kid === 'string' &&
    key.kid !== '' &&
    key.d &&
    key.x &&
    key.y
      ? []
      : [index],
  );
  return bad.length > 0
    ? [`RECEIPT_SIGNING_KEYS: keys ${bad.join(', ')} are not private EC P-256 JWKs with a kid (kty, crv, kid, x, y, d)`]
    : [];
}
