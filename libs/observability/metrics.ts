import { Counter, Gauge, Histogram, collectDefaultMetrics, register, type Metric } from 'prom-client';

/** A metric registered once per process, whatever number of apps the process builds (tests build several). */
function once<T extends Metric>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

let defaultsCollected = false;

/** Node.js process metrics (CPU, memory, event loop lag, GC), once per process. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register });
}

/**
 * Every metric of the service, in the Prometheus default registry. Label values are routes, statuses,
 * queues, stores and reasons: never ids or personal data.
 */
export const metrics = {
  httpDuration: once(
    'http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'http_request_duration_seconds',
        help: 'HTTP request duration by route pattern and status code',
        labelNames: ['method', 'route', 'status_code'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      }),
  ),
  requestsCreated: once(
    'pdd_requests_created_total',
    () =>
      new Counter({
        name: 'pdd_requests_created_total',
        help: 'Deletion requests created, by deletion type',
        labelNames: ['deletion_type'],
      }),
  ),
  requestsCanceled: once(
    'pdd_requests_canceled_total',
    () => new Counter({ name: 'pdd_requests_canceled_total', help: 'Deletion requests canceled inside their window' }),
  ),
  requestsRejected: once(
    'pdd_requests_rejected_total',
    () =>
      new Counter({
        name: 'pdd_requests_rejected_total',
        help: 'API requests rejected, by reason (validation, authentication, privileges, quota, not_found, conflict, unavailable, error)',
        labelNames: ['reason'],
      }),
  ),
  queueJobs: once(
    'pdd_queue_jobs',
    () =>
      new Gauge({
        name: 'pdd_queue_jobs',
        help: 'Jobs per queue and state, read from Redis at scrape time',
        labelNames: ['queue', 'state'],
      }),
  ),
  jobDuration: once(
    'pdd_job_duration_seconds',
    () =>
      new Histogram({
        name: 'pdd_job_duration_seconds',
        help: 'Job run time by queue, store and outcome (completed, failed, delayed)',
        labelNames: ['queue', 'store', 'outcome'],
        buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      }),
  ),
  jobs: once(
    'pdd_jobs_total',
    () =>
      new Counter({
        name: 'pdd_jobs_total',
        help: 'Jobs run, by queue, store and outcome',
        labelNames: ['queue', 'store', 'outcome'],
      }),
  ),
  ids: once(
    'pdd_ids_total',
    () =>
      new Counter({
        name: 'pdd_ids_total',
        help: 'Ids purged per store, by result (erased, not_found, deferred)',
        labelNames: ['store', 'result'],
      }),
  ),
  replayChunks: once(
    'pdd_replay_chunks_total',
    () =>
      new Counter({
        name: 'pdd_replay_chunks_total',
        help: 'Store replay chunks run, by store and outcome (done, deferred, skipped, refused, expired, retried, failed)',
        labelNames: ['store', 'outcome'],
      }),
  ),
  replayIds: once(
    'pdd_replay_ids_total',
    () =>
      new Counter({
        name: 'pdd_replay_ids_total',
        help: 'Ids re-erased by store replays, per store, by result (erased, not_found, deferred)',
        labelNames: ['store', 'result'],
      }),
  ),
  requestsFinished: once(
    'pdd_requests_finished_total',
    () =>
      new Counter({
        name: 'pdd_requests_finished_total',
        help: 'Requests closed by the worker, by status (DONE, FAILED)',
        labelNames: ['status'],
      }),
  ),
  reconcilerRepairs: once(
    'pdd_reconciler_repairs_total',
    () =>
      new Counter({
        name: 'pdd_reconciler_repairs_total',
        help: 'What the reconciler re-added (enqueued, restored, resumed, retried, replays)',
        labelNames: ['kind'],
      }),
  ),
};

export const metricsRegistry = register;
