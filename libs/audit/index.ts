export * from './audit-events.repository.js';
export * from './audit-trail.js';
export * from './audit-trail.listener.js';
export * from './audit-verifier.js';
export * from './audit.module.js';
export * from './canonical-json.js';
export * from './hash-chain.js';
