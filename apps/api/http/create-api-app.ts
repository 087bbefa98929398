import type { AppConfig } from '#app/config';
import {
  AllExceptionsFilter,
  answerFrameworkError,
  bindLogContext,
  hardenHttp,
  instrumentHttp,
  logHttpRequests,
  requestId,
} from '#app/observability';
import rateLimit from '@fastify/rate-limit';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { ApiModule, type ApiModuleOptions } from '../api.module.js';
import { serveOpenApi } from './openapi.js';
import { HARD_BODY_LIMIT_BYTES, keepBodiesRaw } from './raw-body.js';
import { recordRoutes } from './route-registry.js';
import { createValidationPipe } from './validation.pipe.js';

/**
 * Builds the API's public app on Fastify with its pipes, filter, body handling, headers and docs; `main.ts` and
 * the tests share it. The operations listener (OpsListener) is started apart, by `main.ts`.
 */
export async function createApiApp(config: AppConfig, options: ApiModuleOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: HARD_BODY_LIMIT_BYTES,
    genReqId: requestId,
    logger: false,
    frameworkErrors: answerFrameworkError,
    // Behind a proxy (TRUST_PROXY) the client is the address that proxy saw: one hop, never a header's first entry.
    trustProxy: config.TRUST_PROXY ? (_address: string, hop: number) => hop === 0 : false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config, options), adapter, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  keepBodiesRaw(fastify);
  recordRoutes(fastify);
  instrumentHttp(fastify);
  logHttpRequests(fastify);
  bindLogContext(fastify, config, await app.resolve(PinoLogger));
  hardenHttp(fastify);
  // No route of its own (global: false): AuthFailureLimiter builds its counters from it.
  await fastify.register(rateLimit, { global: false });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    reply.header('X-Request-Id', request.id);
    done(null, payload);
  });
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  if (options.serveDocs !== false) serveOpenApi(app);
  await app.init();
  await fastify.ready();
  return app;
}
