export * from './app-config.js';
export * from './app-config.module.js';
export * from './load-config.js';
export * from './shutdown-deadline.js';
export * from './heap-growth.js';
export * from './redis-settings.js';
export * from './loopback.js';
