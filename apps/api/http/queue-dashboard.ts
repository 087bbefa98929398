import type { AppConfig } from '#app/config';
import { errorBody } from '#app/observability';
import { QUEUE_NAMES } from '#app/queue';
import type { DynamicModule } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { timingSafeEqual } from 'node:crypto';

export const DASHBOARD_ROUTE = '/admin/queues';

/**
 * Bull Board on every queue, for SREs, when ADMIN_USER and ADMIN_PASSWORD are set; otherwise not mounted at all.
 * Loaded on demand: its CommonJS packages are only needed where the dashboard is.
 */
export async function queueDashboardModule(config: AppConfig): Promise<DynamicModule | undefined> {
  if (!config.ADMIN_USER || !config.ADMIN_PASSWORD) return undefined;
  const [{ BullBoardModule }, { FastifyAdapter }, { BullMQAdapter }] = await Promise.all([
    import('@bull-board/nestjs'),
    import('@bull-board/fastify'),
    import('@bull-board/api/bullMQAdapter'),
  ]);
  return {
    module: class QueueDashboardModule {},
    imports: [
      BullBoardModule.forRoot({
        route: DASHBOARD_ROUTE,
        adapter: FastifyAdapter,
        // Basic auth is a Fastify hook (protectAdminRoutes) that runs before the board's own routes.
        middleware: (_request: unknown, _reply: unknown, next: () => void) => next(),
        boardOptions: { uiConfig: { boardTitle: 'Personal Data Deletion' } },
      }),
      ...QUEUE_NAMES.map((name) => BullBoardModule.forFeature({ name, adapter: BullMQAdapter })),
    ],
  };
}

/** HTTP Basic on /admin/queues, compared in constant time; 401 with a challenge otherwise. */
export function protectAdminRoutes(fastify: FastifyInstance, config: AppConfig): void {
  const expected = Buffer.from(`${config.ADMIN_USER}:${config.ADMIN_PASSWORD}`);
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(DASHBOARD_ROUTE)) return;
    const header = request.headers.authorization ?? '';
    const given = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64') : Buffer.alloc(0);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return;
    await reply
      .status(401)
      .header('WWW-Authenticate', 'Basic realm="queues", charset="UTF-8"')
      .send(errorBody(401, 'the queue dashboard needs the admin credentials'));
  });
}
