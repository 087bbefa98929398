import type { FastifyInstance } from 'fastify';
import { metrics } from './metrics.js';

/** Times every response by route pattern (never the raw URL, which holds ids) and status code. */
export function instrumentHttp(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
