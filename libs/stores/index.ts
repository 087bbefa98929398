export * from './definitions/index.js';
export * from './store-data-source.js';
export * from './store-definition.js';
export * from './store-purger.js';
export * from './stores.module.js';
export * from './stores.service.js';
export * from './seeding/seed-sql.js';
