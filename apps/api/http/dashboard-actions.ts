import { errorBody } from '#app/observability';
import { QueueName } from '#app/queue';
import type { Queue } from 'bullmq';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * What Bull Board offers per queue, so that every action it shows does what it says.
 * - Purge queues: read-only (every action answers 405). A purge job re-run after its request was closed
 *   FAILED completes as skipped and changes nothing; `requests redrive` is what re-runs a failed store.
 * - Orchestrator: retry of a failed job re-runs it (a window's end, a flow's close, a reconcile); retrying a
 *   completed one would only skip, so it is refused. Pause, clean and empty act on Redis alone: the
 *   reconciler re-adds any job a pending request still needs. Nothing else (see `OFFERED_ACTIONS`).
 */
export function boardOptionsOf(name: string): { readOnlyMode: boolean; allowCompletedRetries: boolean } {
  return { readOnlyMode: name !== (QueueName.Orchestrator as string), allowCompletedRetries: false };
}

type ActionRequest = FastifyRequest<{ Params: { queueName?: string; jobId?: string; queueStatus?: string } }>;

/**
 * The actions the dashboard may take (method and Bull Board route), on the orchestrator queue and the
 * pause/resume of all queues; reading is always allowed. Everything else Bull Board offers (add a job, edit its
 * data, promote, delay, reprioritise, obliterate, scheduler edits) could forge or reshape a request's jobs, so it
 * answers 405.
 */
const OFFERED_ACTIONS = new Set([
  'PUT /api/queues/pause',
  'PUT /api/queues/resume',
  'PUT /api/queues/:queueName/pause',
  'PUT /api/queues/:queueName/resume',
  'PUT /api/queues/:queueName/empty',
  'PUT /api/queues/:queueName/clean/:queueStatus',
  'PUT /api/queues/:queueName/:jobId/clean',
  'PUT /api/queues/:queueName/retry/:queueStatus',
  'PUT /api/queues/:queueName/:jobId/retry',
]);

/**
 * An onRequest hook on the routes the router matched: refuses what `OFFERED_ACTIONS` leaves out, and a retry of
 * completed jobs (Bull Board's handlers do not enforce `allowCompletedRetries`; only its UI hides the button).
 */
export function limitDashboardActions(queues: readonly Queue[]) {
  const byName = new Map(queues.map((queue) => [queue.name, queue]));
  return async (request: ActionRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (request.method === 'GET' || request.method === 'HEAD') return undefined;
    const url = request.routeOptions.url ?? '';
    const route = url.slice(Math.max(0, url.indexOf('/api/')));
    if (!OFFERED_ACTIONS.has(`${request.method} ${route}`)) {
      return reply.code(405).send(errorBody(405, 'the queue dashboard does not offer this action'));
    }
    const { queueName = '', jobId, queueStatus } = request.params ?? {};
    let completed = false;
    if (route === '/api/queues/:queueName/retry/:queueStatus') completed = queueStatus === 'completed';
    else if (route === '/api/queues/:queueName/:jobId/retry' && jobId !== undefined) {
      completed = (await byName.get(queueName)?.getJobState(jobId)) === 'completed';
    }
    if (completed)
      return reply.code(405).send(errorBody(405, 'a completed job is not retried: it would only be skipped'));
    return undefined;
  };
}
