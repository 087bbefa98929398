export * from './deletion-jobs.producer.js';
export * from './job-options.js';
export * from './job-payloads.js';
export * from './queue-names.js';
export * from './queue.module.js';
export * from './redis-connection.js';
export * from './worker-queues.js';
export * from './deletion-flow.producer.js';
