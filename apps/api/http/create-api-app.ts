import type { AppConfig } from '#app/config';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import { ApiModule, type ApiModuleOptions } from '../api.module.js';
import { AllExceptionsFilter } from './all-exceptions.filter.js';
import { serveOpenApi } from './openapi.js';
import { recordRoutes } from './route-registry.js';
import { HARD_BODY_LIMIT_BYTES, keepBodiesRaw } from './raw-body.js';
import { createValidationPipe } from './validation.pipe.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The HTTP request id: the caller's `X-Request-Id` when it is sane, a new UUID otherwise. */
function requestId(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Builds the API on Fastify with its pipes, filter and body handling; `main.ts` and the tests share it. */
export async function createApiApp(config: AppConfig, options: ApiModuleOptions = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: HARD_BODY_LIMIT_BYTES, genReqId: requestId, logger: false });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule.forRoot(config, options), adapter, {
    bodyParser: false,
    logger: config.NODE_ENV === 'test' ? ['error', 'warn'] : undefined,
  });
  const fastify = app.getHttpAdapter().getInstance();
  keepBodiesRaw(fastify);
  recordRoutes(fastify);
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
  });
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  if (options.serveDocs !== false) serveOpenApi(app);
  await app.init();
  await fastify.ready();
  return app;
}
