import { AppConfig } from '#app/config';
import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/** 429 with `Retry-After`: too many failed authentications from this address or with this credential. */
export class TooManyAuthenticationFailuresError extends HttpException {
  readonly headers: Record<string, string>;

  constructor(retryAfterSeconds: number) {
    super(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `too many failed authentications; retry in ${retryAfterSeconds} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}

/**
 * Counts 401s per client address and per credential key (the OAuth consumer key, percent-decoded; a bearer
 * token's hash, so nobody can lock out another subject's tokens) with @fastify/rate-limit's in-memory store, per
 * process. An address over its limit is refused before anything else (it is the one sending the failures). A key
 * over its limit only turns that key's failures into 429: a consumer key is no secret, so anyone could push it over,
 * and a request whose signature verifies still passes. A successful request only peeks at one in-memory counter.
 */
@Injectable()
export class AuthFailureLimiter {
  private limiters?: { address: Limiter; credential: Limiter };
  /** When the last failure was counted: while none is in the window, no counter can refuse anything. */
  private lastFailureAt = -Infinity;

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Throws 429 while the client's address is over its limit, whatever its credentials. */
  async check(request: FastifyRequest): Promise<void> {
    // The usual case, without a lookup: no failure counted within the window.
    if (Date.now() - this.lastFailureAt > this.config.AUTH_FAILURE_WINDOW_SECONDS * 1000) return;
    const state = await this.get().address(request, { increment: false });
    if (!state.isAllowed && state.remaining === 0) throw new TooManyAuthenticationFailuresError(retryAfter(state));
  }

  /** Counts one failed authentication against the address and the credential; 429 once the key is over its limit. */
  async record(request: FastifyRequest): Promise<void> {
    this.lastFailureAt = Date.now();
    const { address, credential } = this.get();
    const [, key] = await Promise.all([address(request), credentialKey(request) ? credential(request) : undefined]);
    if (key && !key.isAllowed && key.isExceeded) throw new TooManyAuthenticationFailuresError(retryAfter(key));
  }

  private get(): { address: Limiter; credential: Limiter } {
    if (this.limiters) return this.limiters;
    // Registered (global: false) on the API's Fastify instance by createApiApp.
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const options = {
      max: this.config.AUTH_FAILURE_LIMIT,
      timeWindow: this.config.AUTH_FAILURE_WINDOW_SECONDS * 1000,
      cache: 10_000,
    };
    this.limiters = {
      address: fastify.createRateLimit({ ...options, keyGenerator: (request) => `address:${request.ip}` }),
      credential: fastify.createRateLimit({ ...options, keyGenerator: (request) => credentialKey(request) ?? '' }),
    };
    return this.limiters;
  }
}

/** The credential's key, hashed so its length is bounded and no token is kept in memory; undefined if none. */
export function credentialKey(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme = '', ...rest] = header.trim().split(/\s+/);
  const credentials = rest.join(' ');
  let key: string | undefined;
  if (scheme.toLowerCase() === 'bearer') key = credentials;
  else if (scheme.toLowerCase() === 'oauth') key = decoded(/oauth_consumer_key="([^"]*)"/.exec(credentials)?.[1]);
  if (!key) return undefined;
  return `${scheme.toLowerCase()}:${createHash('sha256').update(key).digest('base64url')}`;
}

/** The consumer key as authentication reads it (`%41` and `A` are one key). */
function decoded(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function retryAfter(state: { ttlInSeconds: number }): number {
  return Math.max(1, state.ttlInSeconds);
}
