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
 *   reconciler re-adds any job a pending request still needs.
 */
export function boardOptionsOf(name: string): { readOnlyMode: boolean; allowCompletedRetries: boolean } {
  return { readOnlyMode: name !== QueueName.Orchestrator, allowCompletedRetries: false };
}

type RetryRequest = FastifyRequest<{ Params: { queueName?: string; jobId?: string; queueStatus?: string } }>;

/**
 * Bull Board's handlers do not enforce `allowCompletedRetries` (only its UI hides the button): this
 * preHandler refuses, on the routes the router matched, a retry of completed jobs.
 */
export function refuseCompletedRetries(queues: readonly Queue[]) {
  const byName = new Map(queues.map((queue) => [queue.name, queue]));
  return async (request: RetryRequest, reply: FastifyReply): Promise<void> => {
    const route = request.routeOptions.url ?? '';
    const { queueName = '', jobId, queueStatus } = request.params ?? {};
    let completed = false;
    if (route.endsWith('/api/queues/:queueName/retry/:queueStatus')) completed = queueStatus === 'completed';
    else if (route.endsWith('/api/queues/:queueName/:jobId/retry') && jobId !== undefined) {
      completed = (await byName.get(queueName)?.getJobState(jobId)) === 'completed';
    }
    if (completed) {
      await reply.code(405).send(errorBody(405, 'a completed job is not retried: it would only be skipped'));
    }
  };
}
