import type { AppConfig } from '#app/config';
import type { DynamicModule } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { AsyncLocalStorage } from 'node:async_hooks';

const SITE_IN_PATH = /^\/api\/account\/([A-Za-z0-9_]{1,20})\//;
/** Probes and scrapes are not worth a line each. */
const UNLOGGED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

interface HttpLogContext {
  reqId: string;
  site_id?: string;
}

/** The HTTP request a line is written for; pino's `mixin` adds it to every line, so no logger is made per request. */
const httpContext = new AsyncLocalStorage<HttpLogContext>();

/**
 * JSON lines through pino. Each HTTP request's lines carry its id (the one Fastify gave it, from X-Request-Id when
 * sent) and its site_id; credentials are redacted and bodies (which hold the ids being erased) never logged.
 * Requests are logged by `logHttpRequests` (Fastify hooks), not by pino-http middleware: no middleware layer and
 * no child logger per request, which the create path's throughput measured.
 */
export function loggingModule(config: AppConfig, app: 'api' | 'worker'): DynamicModule {
  return LoggerModule.forRoot({
    forRoutes: [],
    pinoHttp: {
      name: app,
      level: config.LOG_LEVEL,
      mixin: () => httpContext.getStore() ?? {},
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["proxy-authorization"]',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
    },
  });
}

/**
 * Gives every line written while Fastify serves a request that request's id and site_id, and writes one line per
 * finished request (at `info`; `error` for a 5xx). The context starts once the body is read: Fastify reads it on
 * stream events, which would drop a context begun earlier.
 */
export function logHttpRequests(fastify: FastifyInstance): void {
  const logger = PinoLogger.root;
  fastify.addHook('preValidation', (request, _reply, done) => httpContext.run(contextOf(request), done));
  fastify.addHook('onResponse', (request, reply, done) => {
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    if (logger.isLevelEnabled(level) && !UNLOGGED_PATHS.test(request.url)) {
      logger[level](
        {
          ...contextOf(request),
          // pino's standard serializers pick the fields: method, url, headers (redacted above), status code.
          req: { id: request.id, method: request.method, url: request.url, headers: request.headers },
          res: reply.raw,
          responseTime: Math.round(reply.elapsedTime),
        },
        'request completed',
      );
    }
    done();
  });
}

function contextOf(request: FastifyRequest): HttpLogContext {
  const site = SITE_IN_PATH.exec(request.url)?.[1];
  return site ? { reqId: request.id, site_id: site } : { reqId: request.id };
}
