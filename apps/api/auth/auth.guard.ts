import { ForbiddenError, InvalidRequestError, isSiteId } from '#app/domain';
import { PublicRoute } from '#app/observability';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AccountCache } from './account-cache.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { AuthenticationError } from './authentication.error.js';
import { JwtAuthenticator } from './jwt.authenticator.js';
import { OAuth1Authenticator } from './oauth1.authenticator.js';
import type { AuthenticatedRequest, Principal } from './principal.js';
import { RequirePermission } from './require-permission.decorator.js';

type GuardedRequest = FastifyRequest<{ Params: { siteId?: string } }> & { auth?: AuthenticatedRequest };

/**
 * Decides, in this order: 429 (too many failed authentications), 401 (no or bad credentials), 400 (malformed
 * site id), 403 (not for this account, lacking the permission, or an unknown account). Decided on the route the
 * router matched. A route without `@RequirePermission` is refused unless it is marked `@PublicRoute`.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtAuthenticator,
    private readonly oauth: OAuth1Authenticator,
    private readonly accounts: AccountCache,
    private readonly failures: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const permission = this.reflector.get(RequirePermission, context.getHandler());
    if (!permission) {
      if (this.reflector.getAllAndOverride(PublicRoute, [context.getHandler(), context.getClass()])) return true;
      throw new ForbiddenError('this route declares no permission, so it is closed');
    }
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const principal = await this.authenticateWithinLimits(request);

    const siteId = request.params.siteId ?? '';
    if (!isSiteId(siteId)) {
      throw new InvalidRequestError('site_id in the path must be 1 to 20 letters, digits or underscores');
    }
    if (!principal.siteIds.includes(siteId)) {
      throw new ForbiddenError(`the credential is not authorized for account ${siteId}`);
    }
    if (!principal.permissions.has(permission)) {
      throw new ForbiddenError(`the credential lacks the ${permission} permission for personal data deletion`);
    }
    const account = await this.accounts.find(siteId);
    if (!account) throw new ForbiddenError(`account ${siteId} is not registered for personal data deletion`);
    request.auth = { principal, account };
    return true;
  }

  /**
   * 429 once an address failed too often, whatever it sends, or instead of a 401 once a credential key did; only
   * failures (401) are counted.
   */
  private async authenticateWithinLimits(request: FastifyRequest): Promise<Principal> {
    await this.failures.check(request);
    try {
      return await this.authenticate(request);
    } catch (error) {
      if (error instanceof AuthenticationError) await this.failures.record(request);
      throw error;
    }
  }

  private authenticate(request: FastifyRequest): Promise<Principal> {
    const header = request.headers.authorization;
    if (!header) throw new AuthenticationError('the Authorization header is missing');
    const [scheme, ...rest] = header.trim().split(/\s+/);
    const credentials = rest.join(' ');
    if (scheme?.toLowerCase() === 'bearer' && credentials) return this.jwt.authenticate(credentials);
    if (scheme?.toLowerCase() === 'oauth' && credentials) return this.oauth.authenticate(credentials, request);
    throw new AuthenticationError('the Authorization header must be "Bearer <JWT>" or "OAuth <parameters>"');
  }
}
