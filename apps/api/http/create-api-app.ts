import type { AppConfig } from '#app/config';
import { AllExceptionsFilter, instrumentHttp, logHttpRequests, requestId } from '#app/observability';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { ApiModule, type ApiModuleOptions } from '../api.module.js';
import { answerFrameworkError } from './framework-errors.js';
import { protectAdminRoutes, queueDashboardModule } from './queue-dashboard.js';
import { serveOpenApi } from './openapi.js';
import { HARD_BODY_LIMIT_BYTES, keepBodiesRaw } from './raw-body.js';
import { recordRoutes } from './route-registry.js';
import { createValidationPipe } from './validation.pipe.js';

/** Builds the API on Fastify with its pipes, filter, body handling and docs; `main.ts` and the tests share it. */
export async function createApiApp(config: AppConfig, options: ApiModuleOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: HARD_BODY_LIMIT_BYTES,
    genReqId: requestId,
    logger: false,
    frameworkErrors: answerFrameworkError,
  });
  const dashboard = await queueDashboardModule(config);
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config, options, dashboard), adapter, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  keepBodiesRaw(fastify);
  recordRoutes(fastify);
  instrumentHttp(fastify);
  logHttpRequests(fastify);
  if (dashboard) protectAdminRoutes(fastify, config);
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
