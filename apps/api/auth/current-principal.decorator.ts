import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from './principal.js';

/** The principal and account the auth guard established for this request. */
export const Caller = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedRequest =>
    context.switchToHttp().getRequest<{ auth: AuthenticatedRequest }>().auth,
);
