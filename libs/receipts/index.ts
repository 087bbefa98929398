export * from './issued-receipts.repository.js';
export * from './receipt-claims.js';
export * from './receipt-issuer.js';
export * from './receipt-key-ring.js';
export * from './receipt-keys.repository.js';
export * from './receipts.module.js';
