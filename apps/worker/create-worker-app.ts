import type { AppConfig } from '#app/config';
import { AllExceptionsFilter, answerFrameworkError, hardenHttp, instrumentHttp, requestId } from '#app/observability';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module.js';

/** The worker: queue consumers, plus the small HTTP listener for /health and /metrics on WORKER_PORT. */
export async function createWorkerApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    WorkerModule.forRoot(config),
    new FastifyAdapter({ logger: false, genReqId: requestId, frameworkErrors: answerFrameworkError }),
    {
      bufferLogs: true,
    },
  );
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  instrumentHttp(fastify);
  hardenHttp(fastify);
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();
  return app;
}
