import { errorBody } from '#app/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Fastify's `frameworkErrors`: what its router refuses before Nest runs (a path that does not percent-decode,
 * a parameter past the length limit) in the common error body, not Fastify's own (which adds `code`).
 */
export function answerFrameworkError(
  error: { statusCode?: number; message: string },
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  void reply.code(status).send(errorBody(status, error.message));
}
