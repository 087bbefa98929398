import { AppConfig } from '#app/config';
import { ApiKeysRepository } from '#app/database';
import { Clock, isSystemActorName, parsePermissions, systemActorRefusal } from '#app/domain';
import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RawBody } from '../http/raw-body.js';
import { AuthenticationError } from './authentication.error.js';
import { NonceStore } from './nonce-store.js';
import {
  bodyHash,
  HASH_OF,
  parseOAuthHeader,
  sameBase64,
  sign,
  signatureBaseString,
  type SignatureMethod,
} from './oauth1-signature.js';
import type { Principal } from './principal.js';
import { signedUrl } from './signed-url.js';

/** The one message for every credential that does not check out (see `authenticate`). */
export const INVALID_CREDENTIALS = 'the OAuth credentials or signature are invalid';

const REQUIRED = [
  'oauth_consumer_key',
  'oauth_token',
  'oauth_signature_method',
  'oauth_timestamp',
  'oauth_nonce',
  'oauth_signature',
];

/**
 * Verifies `Authorization: OAuth ...` (RFC 5849, the platform's API-key flow): HMAC-SHA1 or HMAC-SHA256 over the
 * method, the request URL with its query and the OAuth parameters; a timestamp within the allowed skew; a
 * single-use nonce; `oauth_body_hash` (a SHA of the raw body) whenever present, and when configured, required.
 */
@Injectable()
export class OAuth1Authenticator {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly nonces: NonceStore,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async authenticate(credentials: string, request: FastifyRequest): Promise<Principal> {
    const params = parseOAuthHeader(credentials);
    if (!params) throw new AuthenticationError('the OAuth Authorization header is malformed');
    const missing = REQUIRED.filter((name) => !params.get(name));
    if (missing.length > 0) throw new AuthenticationError(`the OAuth Authorization header lacks ${missing.join(', ')}`);
    const method = params.get('oauth_signature_method') as SignatureMethod;
    if (!Object.hasOwn(HASH_OF, method)) {
      throw new AuthenticationError('oauth_signature_method must be HMAC-SHA1 or HMAC-SHA256');
    }
    if (params.has('oauth_version') && params.get('oauth_version') !== '1.0')
      throw new AuthenticationError('oauth_version must be 1.0');
    // Everything the request alone can refute, before the key lookup: a flood of stale or unsigned requests
    // never reaches the database.
    this.checkTimestamp(params.get('oauth_timestamp')!);
    this.checkBodyHash(method, params.get('oauth_body_hash'), request.body);
    const url = signedUrl(request, this.config);
    if (!this.keys.configured) throw new AuthenticationError('API keys are not enabled on this server');

    const key = await this.keys.findByConsumerKey(params.get('oauth_consumer_key')!);
    const usable = key && !key.revokedAt && key.token === params.get('oauth_token') ? key : undefined;
    // Signed even without a key, so an unknown key takes as long as a wrong signature.
    const expected = sign(
      method,
      signatureBaseString(request.method, url, params),
      usable?.consumerSecret ?? '',
      usable?.tokenSecret ?? '',
    );
    // One answer for an unknown, revoked or mismatched key and a bad signature: no oracle for valid keys.
    if (!sameBase64(params.get('oauth_signature')!, expected) || !usable) {
      throw new AuthenticationError(INVALID_CREDENTIALS);
    }
    // The key's name becomes the audit trail's actor (a key named so before the CLI refused it): the caller proved
    // it holds the key, so the refusal can say why.
    if (isSystemActorName(usable.name)) throw new AuthenticationError(systemActorRefusal('the API key name'));
    await this.useNonce(usable.consumerKey, params.get('oauth_nonce')!);

    return {
      subject: usable.name,
      siteIds: [usable.siteId],
      permissions: new Set(parsePermissions(usable.permissions)),
      scheme: 'OAuth',
    };
  }

  private checkTimestamp(given: string): void {
    const timestamp = Number(given);
    const skew = Math.abs(this.clock.now().getTime() / 1000 - timestamp);
    if (!/^\d{1,12}$/.test(given) || skew > this.config.AUTH_OAUTH_MAX_SKEW_SECONDS) {
      throw new AuthenticationError(
        `oauth_timestamp must be within ${this.config.AUTH_OAUTH_MAX_SKEW_SECONDS} s of the server time`,
      );
    }
  }

  private checkBodyHash(method: SignatureMethod, given: string | undefined, body: unknown): void {
    const bytes = body instanceof RawBody ? body.bytes : Buffer.alloc(0);
    if (given === undefined) {
      if (this.config.AUTH_OAUTH_REQUIRE_BODY_HASH && bytes.length > 0) {
        throw new AuthenticationError('oauth_body_hash is required for requests with a body');
      }
      return;
    }
    if (!sameBase64(given, bodyHash(method, bytes)))
      throw new AuthenticationError('oauth_body_hash does not match the body');
  }

  private async useNonce(consumerKey: string, nonce: string): Promise<void> {
    let first: boolean;
    try {
      first = await this.nonces.firstUse(consumerKey, nonce);
    } catch {
      // Without Redis a replayed request could not be told apart: refuse rather than accept.
      throw new ServiceUnavailableException('cannot verify the OAuth nonce right now; retry later');
    }
    if (!first) throw new AuthenticationError('oauth_nonce was already used');
  }
}
