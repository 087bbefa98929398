import { AppConfig } from '#app/config';
import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthenticatedRequest } from '../auth/principal.js';

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/** The account the auth guard established for the request (as `@Caller()` reads it). */
const siteOf = (request: FastifyRequest) => (request as unknown as { auth: AuthenticatedRequest }).auth.account.siteId;

/** 429 with `Retry-After`: the account asked for too many redeliveries in the window. */
export class TooManyRedeliveriesError extends HttpException {
  readonly headers: Record<string, string>;

  constructor(siteId: string, limit: number, windowSeconds: number, retryAfterSeconds: number) {
    super(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `account ${siteId} asked for ${limit} redeliveries within ${windowSeconds} s; retry in ${retryAfterSeconds} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}

/**
 * Redeliveries per account (docs/ARCHITECTURE.md, "Status-change webhooks"): WEBHOOK_REDELIVER_LIMIT within
 * WEBHOOK_REDELIVER_WINDOW_SECONDS, with @fastify/rate-limit's in-memory store (per API process; registered, global:
 * false, by createApiApp). Counted after authentication, under the account the caller proved, so nobody can spend another account's allowance.
 */
@Injectable()
export class RedeliverLimiter {
  private limiter?: Limiter;

  constructor(
    private readonly config: AppConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Counts one redelivery of the caller's account; throws 429 once the account is over its limit. */
  async take(request: FastifyRequest): Promise<void> {
    this.limiter ??= this.adapterHost.httpAdapter.getInstance<FastifyInstance>().createRateLimit({
      max: this.config.WEBHOOK_REDELIVER_LIMIT,
      timeWindow: this.config.WEBHOOK_REDELIVER_WINDOW_SECONDS * 1000,
      keyGenerator: (counted) => `redeliver:${siteOf(counted)}`,
    });
    const state = await this.limiter(request);
    if (!state.isAllowed && state.isExceeded) {
      const { WEBHOOK_REDELIVER_LIMIT: limit, WEBHOOK_REDELIVER_WINDOW_SECONDS: window } = this.config;
      throw new TooManyRedeliveriesError(siteOf(request), limit, window, Math.max(1, state.ttlInSeconds));
    }
  }
}
