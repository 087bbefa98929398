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

/**
 * Every metric of the service, in the Prometheus default registry. Label values are routes, statuses,
 * queues, stores and reasons: never ids or personal data.
 */
export const metrics = {
  httpDuration: once(Histogram, {
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  }),
  requestsCreated: once(Counter, {
    name: 'pdd_requests_created_total',
    help: 'Deletion requests created, by deletion type',
    labelNames: ['deletion_type'],
  }),
  requestsCanceled: once(Counter, {
    name: 'pdd_requests_canceled_total',
    help: 'Deletion requests canceled inside their window',
  }),
  requestsRejected: once(Counter, {
    name: 'pdd_requests_rejected_total',
    help: 'API requests rejected, by reason (validation, authentication, privileges, quota, not_found, conflict, unavailable, error)',
    labelNames: ['reason'],
  }),
  queueJobs: once(Gauge<'queue' | 'state'>, {
    name: 'pdd_queue_jobs',
    help: 'Jobs per queue and state, read from Redis at scrape time',
    labelNames: ['queue', 'state'],
    collect() {
      return queueDepthReader?.(this);
    },
  }),
  jobDuration: once(Histogram, {
    name: 'pdd_job_duration_seconds',
    help: 'Job run time by queue, store and outcome (completed, failed, delayed)',
    labelNames: ['queue', 'store', 'outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  jobs: once(Counter, {
    name: 'pdd_jobs_total',
    help: 'Jobs run, by queue, store and outcome',
    labelNames: ['queue', 'store', 'outcome'],
  }),
  ids: once(Counter, {
    name: 'pdd_ids_total',
    help: 'Ids purged per store, by result (erased, not_found, deferred)',
    labelNames: ['store', 'result'],
  }),
  requestsFinished: once(Counter, {
    name: 'pdd_requests_finished_total',
    help: 'Requests closed by the worker, by status (DONE, FAILED)',
    labelNames: ['status'],
  }),
  reconcilerRepairs: once(Counter, {
    name: 'pdd_reconciler_repairs_total',
    help: 'What the reconciler re-added (enqueued, restored, resumed, retried, webhooks, replays)',
    labelNames: ['kind'],
  }),
  verifications: once(Counter, {
    name: 'pdd_verifications_total',
    help: 'Read-backs of erased chunks per store, by outcome (clean, re_erased: clean after erasing late data, failed)',
    labelNames: ['store', 'outcome'],
  }),
  requestsAtRisk: once(Gauge, {
    name: 'pdd_requests_at_risk',
    help: 'Unfinished requests (NOT_STARTED, IN_PROGRESS) within DEADLINE_WARNING_DAYS of their deletion deadline, or past it',
  }),
  oldestUnfinishedAge: once(Gauge, {
    name: 'pdd_oldest_unfinished_request_age_seconds',
    help: 'Age of the oldest unfinished request (NOT_STARTED, IN_PROGRESS), from its request_time; 0 when none',
  }),
  redisMaxmemoryPolicy: once(Gauge<'policy'>, {
    name: 'pdd_redis_maxmemory_policy',
    help: "Redis's maxmemory-policy, as 1 on its label (anything but noeviction can drop queued jobs)",
    labelNames: ['policy'],
    collect() {
      return redisPolicyReader?.(this);
    },
  }),
  webhookDeliveries: once(Counter, {
    name: 'pdd_webhook_deliveries_total',
    help: 'Webhook delivery attempts by outcome (delivered, retry, failed, refused)',
    labelNames: ['outcome'],
  }),
  webhookLatency: once(Histogram, {
    name: 'pdd_webhook_delivery_duration_seconds',
    help: 'Time from sending a webhook to its answer (or the timeout), by outcome',
    labelNames: ['outcome'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  replayChunks: once(Counter, {
    name: 'pdd_replay_chunks_total',
    help: 'Store replay chunks run, by store and outcome (done, deferred, skipped, refused, expired, retried, failed)',
    labelNames: ['store', 'outcome'],
  }),
  replayIds: once(Counter, {
    name: 'pdd_replay_ids_total',
    help: 'Ids re-erased by store replays, per store, by result (erased, not_found, deferred)',
    labelNames: ['store', 'result'],
  }),
};

export const metricsRegistry = register;
