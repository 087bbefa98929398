import { Expose, Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { isIP } from 'node:net';
import { isLoopback } from './loopback.js';
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
   * A JSON array of EC P-256 JWKs (each with `kid`): the first, private, signs receipts; the retired ones after it
   * may be public JWKs. All are published at /.well-known/jwks.json. Unset: a development key kept in the
   * database (refused when NODE_ENV=production, or HOST is not loopback).
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

/** RECEIPT_SIGNING_KEYS' shape, and when the development key may sign instead; the messages never show a key. */
export function receiptKeyProblems(config: ProofSettings & { NODE_ENV: string; HOST: string }): string[] {
  if (config.RECEIPT_SIGNING_KEYS === undefined) {
    if (config.NODE_ENV === 'production') {
      return ['RECEIPT_SIGNING_KEYS: must be set when NODE_ENV=production (the development key is refused)'];
    }
    // The development key is kept in the database: fine only for an API nobody else reaches (as the development
    // secrets).
    // (A HOST that is no address at all is reported by its own rule.)
    return isLoopback(config.HOST) || isIP(config.HOST) === 0
      ? []
      : [
          `RECEIPT_SIGNING_KEYS: the development key is accepted only while the API listens on loopback (HOST is ` +
            `${config.HOST}): set keys of your own`,
        ];
  }
  let keys: unknown;
  try {
    keys = JSON.parse(config.RECEIPT_SIGNING_KEYS);
  } catch {
    return [`RECEIPT_SIGNING_KEYS: must be a JSON array of JWKs (it is not JSON)`];
  }
  if (!Array.isArray(keys) || keys.length === 0) {
    return ['RECEIPT_SIGNING_KEYS: must be a non-empty JSON array of JWKs (the first private: it signs)'];
  }
  const problems = keys.flatMap((key: unknown, index) => entryProblems(key, index));
  const kids = keys.map((key: { kid?: unknown } | null) => key?.kid).filter((kid) => typeof kid === 'string');
  const repeated = [...new Set(kids.filter((kid, index) => kids.indexOf(kid) !== index))];
  if (repeated.length > 0) {
    problems.push(`RECEIPT_SIGNING_KEYS: each kid must be used once (${repeated.map(quoted).join(', ')} repeat)`);
  }
  return problems;
}

/**
 * One entry: an EC P-256 JWK with a kid. The first signs, so it must be private (`d`); the retired ones after it
 * are only published (docs/ARCHITECTURE.md, "Proof"), so a public JWK will do and the private part can go.
 */
function entryProblems(key: unknown, index: number): string[] {
  const name = `RECEIPT_SIGNING_KEYS: entry ${index}`;
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return [`${name} is not a JWK (a JSON object)`];
  const jwk = key as Record<string, unknown>;
  const text = (member: string) => typeof jwk[member] === 'string' && jwk[member] !== '';
  if (!text('kid')) return [`${name} has no kid`];
  const named = `${name} (kid ${quoted(jwk.kid as string)})`;
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !text('x') || !text('y')) {
    return [`${named} is not an EC P-256 JWK (kty "EC", crv "P-256", x, y)`];
  }
  if (index === 0 && !text('d')) {
    return [`${named} signs receipts, so it must be a private JWK (with d); the retired keys after it may be public`];
  }
  if (jwk.d !== undefined && !text('d')) return [`${named} has a d that is not a base64url string`];
  return [];
}

function quoted(kid: string): string {
  return JSON.stringify(kid.length > 64 ? `${kid.slice(0, 64)}...` : kid);
}
