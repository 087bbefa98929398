import type { AppConfig } from '#app/config';
import { RequestMethod, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';

const SITE_IN_PATH = /^\/api\/account\/([A-Za-z0-9_]{1,20})\//;

/**
 * JSON lines through pino. Each HTTP request's lines carry its id (the one Fastify gave it, from X-Request-Id when
 * sent) and its site_id; credentials are redacted and bodies (which hold the ids being erased) never logged.
 */
export function loggingModule(config: AppConfig, app: 'api' | 'worker'): DynamicModule {
  return LoggerModule.forRoot({
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
    pinoHttp: {
      name: app,
      level: config.LOG_LEVEL,
      // Fastify's genReqId put the id on the raw request (see the API's request id), so both agree.
      genReqId: (request: IncomingMessage) => (request as IncomingMessage & { id?: string }).id ?? 'none',
      customProps: (request: IncomingMessage) => {
        const site = SITE_IN_PATH.exec(
          (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url ?? '',
        )?.[1];
        return site ? { site_id: site } : {};
      },
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["proxy-authorization"]',
          'res.headers["set-cookie"]',
        ],
        censor: '[redacted]',
      },
      // Probes and scrapes are not worth a line each. Middleware mounting rewrites `url`; `originalUrl` is the path sent.
      autoLogging: {
        ignore: (request: IncomingMessage & { originalUrl?: string }) =>
          /^\/(health|metrics)/.test(request.originalUrl ?? request.url ?? ''),
      },
      quietReqLogger: true,
    },
  });
}
