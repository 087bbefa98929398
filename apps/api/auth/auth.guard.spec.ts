import { loadConfig } from '#app/config';
import type { AccountEntity } from '#app/database';
import { ForbiddenError, InvalidRequestError, Permission } from '#app/domain';
import { PublicRoute } from '#app/observability';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SignJWT, UnsecuredJWT } from 'jose';
import { mintToken } from '../../cli/tokens/mint-token.js';
import type { AccountCache } from './account-cache.js';
import { TooManyAuthenticationFailuresError, type AuthFailureLimiter } from './auth-failure-limiter.js';
import { AuthGuard } from './auth.guard.js';
import { AuthenticationError } from './authentication.error.js';
import { JwtAuthenticator } from './jwt.authenticator.js';
import type { OAuth1Authenticator } from './oauth1.authenticator.js';
import { RequirePermission } from './require-permission.decorator.js';

const SECRET = 'unit-test-secret-of-sufficient-length';
const config = loadConfig({ AUTH_JWT_SECRET: SECRET });
const account = { siteId: '20762324', legacyTicketing: false } as AccountEntity;
const accounts = {
  find: (siteId: string) => Promise.resolve(siteId === account.siteId ? account : null),
} as AccountCache;

function contextFor(
  authorization: string | undefined,
  siteId: string,
  permission: Permission | null = Permission.Write,
  controller: object = class {},
) {
  const request: Record<string, unknown> = { headers: { authorization }, params: { siteId } };
  const handler = () => undefined;
  if (permission) Reflect.defineMetadata(RequirePermission.KEY, permission, handler);
  const context = {
    getHandler: () => handler,
    getClass: () => controller,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

const token = (overrides: Partial<Parameters<typeof mintToken>[1]> = {}, secret = SECRET) =>
  mintToken(secret, {
    subject: 'Mike',
    siteIds: ['20762324'],
    permissions: ['read', 'write'],
    ttlSeconds: 60,
    ...overrides,
  });

describe(AuthGuard.name, () => {
  const oauth = {} as OAuth1Authenticator;
  const recorded: unknown[] = [];
  const failures = {
    check: () => Promise.resolve(undefined),
    record: (request: unknown) => Promise.resolve(void recorded.push(request)),
  } as unknown as AuthFailureLimiter;
  const guard = new AuthGuard(new Reflector(), new JwtAuthenticator(config), oauth, accounts, failures);

  beforeEach(() => (recorded.length = 0));

  it('refuses with 403 a route that declares no permission and is not marked public, even with a valid token', async () => {
    const { context } = contextFor(`Bearer ${await token()}`, '20762324', null);
    await expect(guard.canActivate(context)).rejects.toThrow(ForbiddenError);
  });

  it('lets anyone through a controller marked public', async () => {
    @PublicRoute(true)
    class Probes {}
    const { context } = contextFor(undefined, '', null, Probes);
    await expect(guard.canActivate(context)).resolves.toBe(true);
  });

  it('lets a valid token for the account through and records the principal', async () => {
    const { context, request } = contextFor(`Bearer ${await token()}`, '20762324');
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(request.auth).toMatchObject({ principal: { subject: 'Mike' }, account });
  });

  it.each([
    ['no header', undefined, /missing/],
    ['an unknown scheme', 'Basic abc', /must be "Bearer <JWT>"/],
    ['garbage', 'Bearer not-a-jwt', /not a JWT/],
  ])('rejects %s with 401', async (_, header, message) => {
    const { context } = contextFor(header, '20762324');
    await expect(guard.canActivate(context)).rejects.toThrow(message);
    await expect(guard.canActivate(context)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('rejects a bad signature with 401', async () => {
    const { context } = contextFor(`Bearer ${await token({}, 'another-secret-of-sufficient-length')}`, '20762324');
    await expect(guard.canActivate(context)).rejects.toThrow('bearer token signature is invalid');
  });

  it('rejects an expired token with 401', async () => {
    const expired = await new SignJWT({ site_ids: ['20762324'], permissions: ['write'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('Mike')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 120)
      .sign(new TextEncoder().encode(SECRET));
    const { context } = contextFor(`Bearer ${expired}`, '20762324');
    await expect(guard.canActivate(context)).rejects.toThrow('bearer token has expired');
  });

  it('rejects alg none with 401', async () => {
    const unsecured = new UnsecuredJWT({ site_ids: ['20762324'], permissions: ['write'] })
      .setSubject('Mike')
      .setExpirationTime('1h')
      .encode();
    const { context } = contextFor(`Bearer ${unsecured}`, '20762324');
    await expect(guard.canActivate(context)).rejects.toThrow(/algorithm "none" is not accepted/);
  });

  it('rejects a token without an expiry with 401', async () => {
    const eternal = await new SignJWT({ site_ids: ['20762324'], permissions: ['write'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('Mike')
      .sign(new TextEncoder().encode(SECRET));
    const { context } = contextFor(`Bearer ${eternal}`, '20762324');
    await expect(guard.canActivate(context)).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('rejects a malformed site id with 400 once authenticated', async () => {
    const { context } = contextFor(`Bearer ${await token()}`, 'bad-site!');
    await expect(guard.canActivate(context)).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it('rejects a token for another account with 403', async () => {
    const { context } = contextFor(`Bearer ${await token({ siteIds: ['999'] })}`, '20762324');
    await expect(guard.canActivate(context)).rejects.toThrow(
      new ForbiddenError('the credential is not authorized for account 20762324'),
    );
  });

  it('rejects a read-only token on a write route with 403', async () => {
    const { context } = contextFor(`Bearer ${await token({ permissions: ['read'] })}`, '20762324');
    await expect(guard.canActivate(context)).rejects.toThrow(/lacks the write permission/);
  });

  it('lets a read-only token through on a read route', async () => {
    const { context } = contextFor(`Bearer ${await token({ permissions: ['read'] })}`, '20762324', Permission.Read);
    await expect(guard.canActivate(context)).resolves.toBe(true);
  });

  it('rejects an unknown account with 403', async () => {
    const { context } = contextFor(`Bearer ${await token({ siteIds: ['555'] })}`, '555');
    await expect(guard.canActivate(context)).rejects.toThrow(/account 555 is not registered/);
  });

  it('checks issuer and audience when configured', async () => {
    const strict = new AuthGuard(
      new Reflector(),
      new JwtAuthenticator(loadConfig({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: 'idp', AUTH_JWT_AUDIENCE: 'pdd' })),
      oauth,
      accounts,
      failures,
    );
    const wrong = contextFor(`Bearer ${await token({ issuer: 'other', audience: 'pdd' })}`, '20762324');
    await expect(strict.canActivate(wrong.context)).rejects.toThrow(/claim iss/);
    const right = contextFor(`Bearer ${await token({ issuer: 'idp', audience: 'pdd' })}`, '20762324');
    await expect(strict.canActivate(right.context)).resolves.toBe(true);
  });

  it('counts a 401 as a failed authentication, and neither a success nor a 403', async () => {
    const bad = contextFor('Bearer not-a-jwt', '20762324');
    await expect(guard.canActivate(bad.context)).rejects.toBeInstanceOf(AuthenticationError);
    expect(recorded).toEqual([bad.request]);
    await guard.canActivate(contextFor(`Bearer ${await token()}`, '20762324').context);
    await expect(guard.canActivate(contextFor(`Bearer ${await token()}`, '555').context)).rejects.toThrow(
      ForbiddenError,
    );
    expect(recorded).toHaveLength(1);
  });

  it('answers 429 before looking at the credentials once the limit is reached', async () => {
    const limited = { check: async () => Promise.reject(new TooManyAuthenticationFailuresError(42)) };
    const blocked = new AuthGuard(
      new Reflector(),
      new JwtAuthenticator(config),
      oauth,
      accounts,
      limited as unknown as AuthFailureLimiter,
    );
    const error = (await blocked
      .canActivate(contextFor(`Bearer ${await token()}`, '20762324').context)
      .catch((e: unknown) => e)) as TooManyAuthenticationFailuresError;
    expect(error).toBeInstanceOf(TooManyAuthenticationFailuresError);
    expect(error.getStatus()).toBe(429);
    expect(error.headers).toEqual({ 'Retry-After': '42' });
  });
});
