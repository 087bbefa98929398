import { AppConfig } from '#app/config';
import { answerFrameworkError, answerNotFound, hardenHttp, metricsRegistry, requestId } from '#app/observability';
import { QUEUE_NAMES } from '#app/queue';
import { getQueueToken } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { registerQueueDashboard } from './queue-dashboard.js';

/**
 * The API's operations listener: /metrics and, when ADMIN_USER/ADMIN_PASSWORD are set, the queue dashboard,
 * on OPS_HOST:OPS_PORT (loopback by default), apart from the public listener. `main.ts` starts it; it closes
 * when the app shuts down, before the queues it shows are closed.
 */
@Injectable()
export class OpsListener implements BeforeApplicationShutdown {
  private readonly logger = new Logger(OpsListener.name);
  private server?: FastifyInstance;

  constructor(
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** Builds and starts it; returns the port it bound (OPS_PORT=0 picks a free one). */
  async listen(): Promise<number> {
    const server = Fastify({ logger: false, genReqId: requestId, frameworkErrors: answerFrameworkError });
    hardenHttp(server);
    server.setNotFoundHandler(answerNotFound);
    server.get('/metrics', async (_request, reply) =>
      reply.type(metricsRegistry.contentType).send(await metricsRegistry.metrics()),
    );
    if (this.config.ADMIN_USER && this.config.ADMIN_PASSWORD) {
      const queues = QUEUE_NAMES.map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
      await registerQueueDashboard(server, queues, this.config);
    }
    this.server = server;
    await server.listen({ port: this.config.OPS_PORT, host: this.config.OPS_HOST });
    const { port } = server.server.address() as AddressInfo;
    this.logger.log(`operations listener (metrics, dashboard) on ${this.config.OPS_HOST} port ${port}`);
    return port;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.server?.close();
  }
}
