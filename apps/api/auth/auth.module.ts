import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard.js';
import { JwtAuthenticator } from './jwt.authenticator.js';

@Global()
@Module({
  providers: [JwtAuthenticator, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [JwtAuthenticator],
})
export class AuthModule {}
