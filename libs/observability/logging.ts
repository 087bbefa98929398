import type { AppConfig } from '#app/config';
import { isSiteId } from '#app/domain';
import type { DynamicModule } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LoggerModule, PinoLogger } from 'nestjs-pino';

/** The account segment of an API path; a valid site id only when `isSiteId` says so. */
const SITE_IN_PATH = /^\/api\/account\/([^/?]+)\//;
/** Probes and scrapes are not worth a line each. */
const UNLOGGED_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/** What ties a line to the HTTP request it is written for. */
export interface HttpLogContext {
  reqId: string;
  site_id?: string;
}

/**
 * JSON lines through pino. Each HTTP request's lines carry its id (the one Fastify gave it, from X-Request-Id when
 * sent) and its site_id; credentials are redacted and bodies (which hold the ids being erased) never logged.
 * Requests are logged by `logHttpRequests` (Fastify hooks), not by pino-http middleware: no middleware layer and
 * no child logger per request, which the create path's throughput measured. On Node 20 the context is given
 * explicitly (`httpLogContext`), never through AsyncLocalStorage: there it turns on a hook for every promise of
 * the process, which measured a fifth of the API's CPU per create; on 24 see `bindLogContext`.
 */
export function loggingModule(config: AppConfig, app: 'api' | 'worker'): DynamicModule {
  return LoggerModule.forRoot({
    forRoutes: [],
    pinoHttp: {
      name: app,
      level: config.LOG_LEVEL,
      // Human-readable lines on a terminal (pino-pretty, in a worker thread); JSON lines everywhere else.
      transport: prettyLogs(config)
        ? {
            target: 'pino-pretty',
            options: {
              translateTime: 'SYS:HH:MM:ss.l',
              ignore: 'pid,hostname,context',
              messageFormat: '{context}: {msg}',
            },
          }
        : undefined,
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

function prettyLogs(config: AppConfig): boolean {
  return config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY === true);
}

/** Writes one line per finished request (at `info`; `error` for a 5xx), with its `httpLogContext`. */
export function logHttpRequests(fastify: FastifyInstance): void {
  const logger = PinoLogger.root;
  fastify.addHook('onResponse', (request, reply, done) => {
    const level = reply.statusCode >= 500 ? 'error' : 'info';
    if (logger.isLevelEnabled(level) && !UNLOGGED_PATHS.test(request.url)) {
      logger[level](
        {
          ...httpLogContext(request),
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

/** Set once `bindLogContext` runs: the lines written while handling a request carry its context by themselves. */
let implicitContext = false;

/**
 * With `LOG_ASYNC_CONTEXT` on (`auto`: Node.js 24 and later, where AsyncLocalStorage no longer costs promise-heavy
 * code: see BENCHMARKS.md, async-context), every line written while a request is handled carries its `reqId`
 * and `site_id` through nestjs-pino's own request context (`PinoLogger.runInContext`), services' lines included.
 * Bound in `preHandler`, after the body is read: Node's stream events would not carry an earlier context.
 */
export function bindLogContext(fastify: FastifyInstance, config: AppConfig, pino: PinoLogger): void {
  if (!asyncLogContext(config)) return;
  implicitContext = true;
  fastify.addHook('preHandler', (request, _reply, done) =>
    pino.runInContext(done, { bindings: httpLogContext(request) }),
  );
}

export function asyncLogContext(config: AppConfig): boolean {
  if (config.LOG_ASYNC_CONTEXT !== 'auto') return config.LOG_ASYNC_CONTEXT === 'on';
  return Number(process.versions.node.split('.')[0]) >= 24;
}

/** What a line about `request` must carry itself: nothing where the async context already binds it. */
export function explicitLogContext(
  request: Pick<FastifyRequest, 'id' | 'url'>,
): HttpLogContext | Record<string, never> {
  return implicitContext ? {} : httpLogContext(request);
}

/** The request's id and, when its path names one, its site_id: for every line written about the request. */
export function httpLogContext(request: Pick<FastifyRequest, 'id' | 'url'>): HttpLogContext {
  const site = SITE_IN_PATH.exec(request.url)?.[1];
  return isSiteId(site) ? { reqId: request.id, site_id: site } : { reqId: request.id };
}
