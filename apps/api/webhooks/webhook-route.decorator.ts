import { Permission } from '#app/domain';
import { ErrorBody } from '#app/observability';
import { applyDecorators, HttpCode, HttpStatus } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';
import { RequirePermission } from '../auth/require-permission.decorator.js';
import { ApiErrors } from '../http/api-errors.decorator.js';

export interface WebhookRouteOptions {
  summary: string;
  /** The error statuses it may answer besides 500 and 503. */
  errors: number[];
  /** The success status, when not 200. */
  status?: HttpStatus;
  /** A 429 of its own, described. */
  tooMany?: string;
}

/** What every webhook route declares, once: its permission, success status, summary and documented errors. */
export function WebhookRoute(permission: Permission, options: WebhookRouteOptions): MethodDecorator {
  return applyDecorators(
    ...(options.status ? [HttpCode(options.status)] : []),
    RequirePermission(permission),
    ApiOperation({ summary: options.summary }),
    ApiErrors(...options.errors),
    ...(options.tooMany ? [ApiResponse({ status: 429, description: options.tooMany, type: ErrorBody })] : []),
  );
}
