export * from './deletion-type.js';
export * from './errors.js';
export * from './id-rules.js';
export * from './request-status.js';
export * from './clock.js';
export * from './month.js';
export * from './quota-slots.js';
export * from './request-id.js';
