import {
  ConflictError,
  DeadlineExceededError,
  DomainError,
  ForbiddenError,
  IdempotencyConflictError,
  InvalidRequestError,
  NotFoundError,
  QuotaExceededError,
} from '#app/domain';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { rateLimitHeaders } from './rate-limit-headers.js';
import { errorBody, type ErrorBody } from './error-body.js';
import { explicitLogContext, type HttpLogContext } from './logging.js';
import { metrics } from './metrics.js';

/**
 * Maps every error to the common body. Domain errors get their status; a lost database connection is 503;
 * anything else is a logged 500 whose body carries only an error id (never a stack or SQL).
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const { body, headers } = this.toResponse(exception, explicitLogContext(http.getRequest<FastifyRequest>()));
    metrics.requestsRejected.inc({ reason: rejectionReason(body.statusCode) });
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    // Fire and forget: Fastify writes the reply; a filter has nothing to wait for.
    void reply.status(body.statusCode).send(body);
  }

  /** `context`: the request's, for the lines this writes (a 503's cause, a 500's error). */
  toResponse(
    exception: unknown,
    context: HttpLogContext | Record<string, never>,
  ): { body: ErrorBody; headers: Record<string, string> } {
    if (exception instanceof HttpException) {
      const headers = (exception as Partial<WithHeaders>).headers ?? {};
      return { body: errorBody(exception.getStatus(), httpExceptionMessage(exception)), headers };
    }
    if (exception instanceof QuotaExceededError) {
      return {
        body: errorBody(HttpStatus.TOO_MANY_REQUESTS, exception.message),
        headers: {
          'Retry-After': String(exception.retryAfterSeconds),
          ...rateLimitHeaders({ limit: exception.limit, remaining: 0, resetInSeconds: exception.retryAfterSeconds }),
        },
      };
    }
    if (exception instanceof DeadlineExceededError) {
      this.logger.warn({ ...context, msg: `deadline exceeded: ${exception.reason}` });
      return {
        body: errorBody(HttpStatus.SERVICE_UNAVAILABLE, exception.message),
        headers: { 'Retry-After': String(exception.retryAfterSeconds) },
      };
    }
    if (exception instanceof DomainError)
      return { body: errorBody(domainStatus(exception), exception.message), headers: {} };
    // Before the database check: a client that hung up mid-body is an ECONNRESET too, but no outage.
    const clientStatus = fastifyClientErrorStatus(exception);
    if (clientStatus) return { body: errorBody(clientStatus, (exception as Error).message), headers: {} };
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn({ ...context, msg: `database unavailable: ${(exception as Error).message}` });
      return {
        body: errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'the service database is unavailable; retry later'),
        headers: { 'Retry-After': '5' },
      };
    }
    const errorId = randomUUID();
    this.logger.error({ ...context, msg: `unexpected error ${errorId}`, err: exception });
    return {
      body: errorBody(HttpStatus.INTERNAL_SERVER_ERROR, `internal error; quote error id ${errorId} when reporting it`),
      headers: {},
    };
  }
}

/** An HttpException that carries response headers (401's WWW-Authenticate, say). */
export interface WithHeaders {
  headers: Record<string, string>;
}

function rejectionReason(status: number): string {
  const reasons: Record<number, string> = {
    401: 'authentication',
    403: 'privileges',
    404: 'not_found',
    409: 'conflict',
    429: 'quota',
    503: 'unavailable',
  };
  if (reasons[status]) return reasons[status];
  return status >= 500 ? 'error' : 'validation';
}

function domainStatus(error: DomainError): number {
  if (error instanceof InvalidRequestError) return HttpStatus.BAD_REQUEST;
  if (error instanceof ForbiddenError) return HttpStatus.FORBIDDEN;
  if (error instanceof NotFoundError) return HttpStatus.NOT_FOUND;
  if (error instanceof ConflictError) return HttpStatus.CONFLICT;
  if (error instanceof IdempotencyConflictError) return HttpStatus.UNPROCESSABLE_ENTITY;
  return HttpStatus.INTERNAL_SERVER_ERROR;
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  // statement_timeout and lock_timeout: the database too slow to answer now
  '57014',
  '55P03',
]);

/** pg and TypeORM errors that mean "PostgreSQL is not reachable now", not a bug. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 4; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTION_ERROR_CODES.has(code) || code.startsWith('08'))) return true;
    if (
      /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout/i.test(
        cause.message,
      )
    ) {
      return true;
    }
    cause = (cause as { cause?: unknown; driverError?: unknown }).driverError ?? (cause as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Errors Fastify raises itself before Nest sees the request (a body past the hard limit, say), and Node's
 * `aborted` (a client that closed mid-body): the client's doing, not a 500 to log.
 */
function fastifyClientErrorStatus(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (
    typeof status === 'number' &&
    status >= 400 &&
    status < 500 &&
    typeof code === 'string' &&
    (code.startsWith('FST_') || code === 'ECONNRESET')
  ) {
    return status;
  }
  return undefined;
}
