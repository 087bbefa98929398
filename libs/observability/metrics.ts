import { Counter, Gauge, Histogram, collectDefaultMetrics, register, type Metric } from 'prom-client';

/** A metric registered once per process, whatever number of apps the process builds (tests build several). */
function once<Config extends { name: string }, T extends Metric>(Kind: new (config: Config) => T, config: Config): T {
  return (register.getSingleMetric(config.name) as T | undefined) ?? new Kind(config);
}

/** Reads the queue depths into the gauge at scrape time; the app built last sets it (see QueueMetricsCollector). */
let queueDepthReader: ((gauge: Gauge<'queue' | 'state'>) => Promise<void>) | undefined;

export function readQueueDepthsWith(reader: (gauge: Gauge<'queue' | 'state'>) => Promise<void>): void {
  queueDepthReader = reader;
}

/** Reads Redis's maxmemory-policy into its gauge at scrape time (see QueueMetricsCollector). */
let redisPolicyReader: ((gauge: Gauge<'policy'>) => Promise<void>) | undefined;

export function readRedisPolicyWith(reader: (gauge: Gauge<'policy'>) => Promise<void>): void {
  redisPolicyReader = reader;
}

let defaultsCollected = false;

/** Node.js process metrics (CPU, memory, event loop lag, GC), once per process. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register });
}

/** A counter, registered once (see `once`). */
function counter<Label extends string>(name: string, help: string, labelNames: readonly Label[] = []): Counter<Label> {
  return once(Counter<Label>, { name, help, labelNames });
}

/** A histogram of seconds, registered once (see `once`). */
function histogram<Label extends string>(
  name: string,
  help: string,
  labelNames: readonly Label[],
  buckets: number[],
): Histogram<Label> {
  return once(Histogram<Label>, { name, help, labelNames, buckets });
}

/** A gauge, registered once (see `once`); `collect` sets it at scrape time. */
function gauge<Label extends string>(
  name: string,
  help: string,
  labelNames: readonly Label[] = [],
  collect?: (gauge: Gauge<Label>) => Promise<void> | undefined,
): Gauge<Label> {
  return once(Gauge<Label>, {
    name,
    help,
    labelNames,
    ...(collect && {
      collect(this: Gauge<Label>) {
        return collect(this);
      },
    }),
  });
}

/**
 * Every metric of the service, in the Prometheus default registry. Label values are routes, statuses,
 * queues, stores and reasons: never ids or personal data.
 */
export const metrics = {
  httpDuration: histogram(
    'http_request_duration_seconds',
    'HTTP request duration by route pattern and status code',
    ['method', 'route', 'status_code'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  ),
  requestsCreated: counter('pdd_requests_created_total', 'Deletion requests created, by deletion type', [
    'deletion_type',
  ]),
  requestsCanceled: counter('pdd_requests_canceled_total', 'Deletion requests canceled inside their window'),
  requestsRejected: counter(
    'pdd_requests_rejected_total',
    'API requests rejected, by reason (validation, authentication, privileges, quota, not_found, conflict, unavailable, error)',
    ['reason'],
  ),
  queueJobs: gauge(
    'pdd_queue_jobs',
    'Jobs per queue and state, read from Redis at scrape time',
    ['queue', 'state'],
    (gauge) => queueDepthReader?.(gauge),
  ),
  jobDuration: histogram(
    'pdd_job_duration_seconds',
    'Job run time by queue, store and outcome (completed, failed, delayed)',
    ['queue', 'store', 'outcome'],
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  ),
  jobs: counter('pdd_jobs_total', 'Jobs run, by queue, store and outcome', ['queue', 'store', 'outcome']),
  ids: counter('pdd_ids_total', 'Ids purged per store, by result (erased, not_found, deferred)', ['store', 'result']),
  requestsFinished: counter('pdd_requests_finished_total', 'Requests closed by the worker, by status (DONE, FAILED)', [
    'status',
  ]),
  reconcilerRepairs: counter(
    'pdd_reconciler_repairs_total',
    'What the reconciler re-added (enqueued, restored, resumed, retried, webhooks, replays)',
    ['kind'],
  ),
  verifications: counter(
    'pdd_verifications_total',
    'Read-backs of erased chunks per store, by outcome (clean, re_erased: clean after erasing late data, failed)',
    ['store', 'outcome'],
  ),
  requestsAtRisk: gauge(
    'pdd_requests_at_risk',
    'Unfinished requests (NOT_STARTED, IN_PROGRESS) within DEADLINE_WARNING_DAYS of their deletion deadline, or past it',
  ),
  oldestUnfinishedAge: gauge(
    'pdd_oldest_unfinished_request_age_seconds',
    'Age of the oldest unfinished request (NOT_STARTED, IN_PROGRESS), from its request_time; 0 when none',
  ),
  redisMaxmemoryPolicy: gauge(
    'pdd_redis_maxmemory_policy',
    "Redis's maxmemory-policy, as 1 on its label (anything but noeviction can drop queued jobs)",
    ['policy'],
    (gauge) => redisPolicyReader?.(gauge),
  ),
  webhookDeliveries: counter(
    'pdd_webhook_deliveries_total',
    'Webhook delivery attempts by outcome (delivered, retry, failed, refused)',
    ['outcome'],
  ),
  webhookLatency: histogram(
    'pdd_webhook_delivery_duration_seconds',
    'Time from sending a webhook to its answer (or the timeout), by outcome',
    ['outcome'],
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  ),
  replayChunks: counter(
    'pdd_replay_chunks_total',
    'Store replay chunks run, by store and outcome (done, deferred, skipped, refused, expired, retried, failed)',
    ['store', 'outcome'],
  ),
  replayIds: counter(
    'pdd_replay_ids_total',
    'Ids re-erased by store replays, per store, by result (erased, not_found, deferred)',
    ['store', 'result'],
  ),
};

export const metricsRegistry = register;
