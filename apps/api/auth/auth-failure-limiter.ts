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
 * Counts 401s per client address and per credential key (the OAuth consumer key; a bearer token's hash, so
 * nobody can lock out another subject's tokens) with @fastify/rate-limit's in-memory store, per process.
 * A successful request only peeks at two in-memory counters: nothing is counted, nothing leaves the process.
 */
@Injectable()
export class AuthFailureLimiter {
  private limiters?: { address: Limiter; credential: Limiter };

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Throws 429 while the address or the credential is over its limit, whether or not it is right now. */
  async check(request: FastifyRequest): Promise<void> {
    const { address, credential } = this.get();
    const states = await Promise.all([
      address(request, { increment: false }),
      credentialKey(request) ? credential(request, { increment: false }) : undefined,
    ]);
    for (const state of states) {
      if (state && !state.isAllowed && state.remaining === 0) {
        throw new TooManyAuthenticationFailuresError(Math.max(1, state.ttlInSeconds));
      }
    }
  }

  /** Counts one failed authentication against the address and the credential. */
  async record(request: FastifyRequest): Promise<void> {
    const { address, credential } = this.get();
    await Promise.all([address(request), credentialKey(request) ? credential(request) : undefined]);
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
  else if (scheme.toLowerCase() === 'oauth') key = /oauth_consumer_key="([^"]*)"/.exec(credentials)?.[1];
  if (!key) return undefined;
  return `${scheme.toLowerCase()}:${createHash('sha256').update(key).digest('base64url')}`;
}
