import type { AppConfig } from '#app/config';
import { errorBody } from '#app/observability';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { boardOptionsOf, limitDashboardActions } from './dashboard-actions.js';

export const DASHBOARD_ROUTE = '/admin/queues';

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** Whether a `Basic` header holds these credentials: constant time whatever their length (digests compared). */
export function basicCredentialsMatch(header: string | undefined, user: string, password: string): boolean {
  const [scheme = '', encoded = ''] = (header ?? '').trim().split(/\s+/);
  const decoded = scheme.toLowerCase() === 'basic' ? Buffer.from(encoded, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const [givenUser, givenPassword] = colon < 0 ? ['', ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
  const userOk = timingSafeEqual(sha256(givenUser), sha256(user));
  const passwordOk = timingSafeEqual(sha256(givenPassword), sha256(password));
  return colon >= 0 && userOk && passwordOk;
}

/**
 * Bull Board on the operations listener, inside one encapsulated plugin whose own onRequest hook asks for
 * HTTP Basic: it runs for every route of the board (pages, assets, API) as matched by the router, whatever
 * spelling of the path reached it. Failed logins (wrong credentials, not a missing header: a browser's first
 * try) are counted per address; past AUTH_FAILURE_LIMIT in the window every try is 429 with Retry-After.
 * Loaded on demand: its CommonJS packages are only needed where the dashboard is.
 */
export async function registerQueueDashboard(
  ops: FastifyInstance,
  queues: readonly Queue[],
  config: AppConfig,
): Promise<void> {
  const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }, { default: rateLimit }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/fastify'),
    import('@fastify/rate-limit'),
  ]);
  const user = config.ADMIN_USER ?? '';
  const password = config.ADMIN_PASSWORD ?? '';
  await ops.register(async (board) => {
    await board.register(rateLimit, { global: false });
    const failures = board.createRateLimit({
      max: config.AUTH_FAILURE_LIMIT,
      timeWindow: config.AUTH_FAILURE_WINDOW_SECONDS * 1000,
    });
    board.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const seen = await failures(request, { increment: false });
      if (!seen.isAllowed && seen.remaining === 0) {
        return reply
          .code(429)
          .header('Retry-After', String(Math.max(1, seen.ttlInSeconds)))
          .send(errorBody(429, 'too many failed logins to the queue dashboard; retry later'));
      }
      const header = request.headers.authorization;
      if (basicCredentialsMatch(header, user, password)) return;
      if (header) await failures(request);
      return reply
        .code(401)
        .header('WWW-Authenticate', 'Basic realm="queues", charset="UTF-8"')
        .send(errorBody(401, 'the queue dashboard needs the admin credentials'));
    });
    // Before the body is parsed: a refused action never reaches its parser.
    board.addHook('onRequest', limitDashboardActions(queues));
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(DASHBOARD_ROUTE);
    createBullBoard({
      queues: queues.map((queue) => new BullMQAdapter(queue, boardOptionsOf(queue.name))),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Personal Data Deletion' } },
    });
    await board.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_ROUTE });
  });
}
