import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccountCache } from './account-cache.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { AuthGuard } from './auth.guard.js';
import { JwtAuthenticator } from './jwt.authenticator.js';
import { NonceStore } from './nonce-store.js';
import { OAuth1Authenticator } from './oauth1.authenticator.js';

@Global()
@Module({
  providers: [
    AccountCache,
    AuthFailureLimiter,
    JwtAuthenticator,
    OAuth1Authenticator,
    NonceStore,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [JwtAuthenticator],
})
export class AuthModule {}
