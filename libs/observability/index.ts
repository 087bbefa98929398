export * from './all-exceptions.filter.js';
export * from './error-body.js';
export * from './health.controller.js';
export * from './http-metrics.js';
export * from './metrics.js';
export * from './observability.module.js';
export * from './shutdown-state.js';
export * from './request-id.js';
