export * from './fan-out.service.js';
export * from './lifecycle.module.js';
export * from './start-enqueuer.js';
export * from './request-lifecycle.service.js';
export * from './request-recorder.js';
export * from './store-replay.service.js';
