import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { ErrorBody } from '#app/observability';

const WHEN: Record<number, string> = {
  400: 'A rule broken: the message names the field and the rule.',
  401: 'No or bad credentials (see WWW-Authenticate).',
  403: 'The credential is not for this account, lacks the permission, or the account is not registered.',
  404: 'No such request for this account.',
  409: 'The request is final and can no longer be canceled.',
  413: 'The body is larger than 64 KiB.',
  415: 'The body is not JSON.',
  422: 'The Idempotency-Key was used with another body.',
  429: 'The monthly quota is used up; Retry-After and RateLimit-* say when it resets.',
  500: 'A bug: the message carries an error id to quote.',
  503: 'The database is unreachable; retry later.',
};

/** Documents each error status a route may answer, all with the common error body. */
export function ApiErrors(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...[...statuses, 500, 503].map((status) =>
      ApiResponse({ status, description: `${STATUS_CODES[status]}. ${WHEN[status] ?? ''}`.trim(), type: ErrorBody }),
    ),
  );
}
