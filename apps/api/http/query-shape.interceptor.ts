import { BadRequestException, CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { isPrototypeKey } from './prototype-keys.js';

/** Most query parameters a route takes, and the longest value (a cursor, a date, a status: all short). */
export const MAX_QUERY_PARAMETERS = 16;
export const MAX_QUERY_VALUE_LENGTH = 256;

/**
 * 400 for a query string the DTO's validators cannot be trusted with: a parameter given twice (Fastify makes
 * it an array), a prototype key, too many parameters or a too long value. Interceptors run before pipes, so
 * this comes before the ValidationPipe transforms the query.
 */
@Injectable()
export class QueryShapeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const query = context.switchToHttp().getRequest<{ query?: unknown }>().query ?? {};
    const entries = Object.entries(query as Record<string, unknown>);
    if (entries.length > MAX_QUERY_PARAMETERS) {
      throw new BadRequestException(`the query string must hold at most ${MAX_QUERY_PARAMETERS} parameters`);
    }
    for (const [key, value] of entries) {
      const name = JSON.stringify(key.slice(0, 40));
      if (isPrototypeKey(key)) throw new BadRequestException(`unknown key ${name} is not allowed`);
      if (typeof value !== 'string') throw new BadRequestException(`query parameter ${name} must be given once`);
      if (value.length > MAX_QUERY_VALUE_LENGTH) {
        throw new BadRequestException(`query parameter ${name} must be at most ${MAX_QUERY_VALUE_LENGTH} characters`);
      }
    }
    return next.handle();
  }
}
