import { AppConfig } from '#app/config';
import { Injectable } from '@nestjs/common';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { webcrypto } from 'node:crypto';
import { AuthenticationError } from './authentication.error.js';
import { principalOf } from './jwt-claims.js';
import type { Principal } from './principal.js';

const ASYMMETRIC_ALGORITHMS = ['RS256', 'ES256'];
/** Verified tokens remembered (until they expire): brand systems send one token with many requests. */
const VERIFIED_CACHE_SIZE = 1000;

/**
 * Verifies `Authorization: Bearer <JWT>` (the login flow): HS256 with `AUTH_JWT_SECRET`, RS256/ES256 through
 * `AUTH_JWKS_URL`. Claims: `sub` (the user), `site_ids` (accounts it may act for), `permissions`.
 */
@Injectable()
export class JwtAuthenticator {
  /** Imported once: jose would otherwise import the raw secret into WebCrypto on every verification. */
  private readonly secret?: Promise<webcrypto.CryptoKey>;
  private readonly jwks?: JWTVerifyGetKey;
  private readonly verified = new Map<string, { payload: JWTPayload; until: number }>();

  constructor(private readonly config: AppConfig) {
    if (config.AUTH_JWT_SECRET) {
      const raw = new TextEncoder().encode(config.AUTH_JWT_SECRET);
      this.secret = webcrypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    }
    if (config.AUTH_JWKS_URL) this.jwks = createRemoteJWKSet(new URL(config.AUTH_JWKS_URL));
  }

  async authenticate(token: string): Promise<Principal> {
    return principalOf(await this.verifyOnce(token));
  }

  /** A token verified before is trusted again until its `exp` (which every accepted token has) or its maximum age. */
  private async verifyOnce(token: string): Promise<JWTPayload> {
    const known = this.verified.get(token);
    if (known && known.until > Date.now()) return known.payload;
    this.verified.delete(token);
    const payload = await this.verify(token);
    const maxAge = this.config.AUTH_JWT_MAX_AGE_SECONDS;
    const until = Math.min(payload.exp!, maxAge === undefined ? Infinity : payload.iat! + maxAge) * 1000;
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { payload, until });
    return payload;
  }

  private async verify(token: string): Promise<JWTPayload> {
    let algorithm: string | undefined;
    try {
      algorithm = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthenticationError('bearer token is not a JWT');
    }
    const options = {
      issuer: this.config.AUTH_JWT_ISSUER,
      audience: this.config.AUTH_JWT_AUDIENCE,
      requiredClaims: ['sub', 'exp'],
      maxTokenAge: this.config.AUTH_JWT_MAX_AGE_SECONDS,
      clockTolerance: this.config.AUTH_JWT_CLOCK_TOLERANCE_SECONDS,
    };
    try {
      if (algorithm === 'HS256' && this.secret) {
        return (await jwtVerify(token, await this.secret, { ...options, algorithms: ['HS256'] })).payload;
      }
      if (algorithm && ASYMMETRIC_ALGORITHMS.includes(algorithm) && this.jwks) {
        return (await jwtVerify(token, this.jwks, { ...options, algorithms: ASYMMETRIC_ALGORITHMS })).payload;
      }
    } catch (error) {
      throw new AuthenticationError(describeJoseError(error));
    }
    throw new AuthenticationError(`bearer token algorithm ${JSON.stringify(algorithm ?? 'none')} is not accepted`);
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired && error.claim === 'iat') return 'bearer token is older than allowed';
  if (error instanceof errors.JWTExpired) return 'bearer token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `bearer token claim ${error.claim} is invalid: ${error.reason}`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bearer token signature is invalid';
  return 'bearer token is invalid';
}
