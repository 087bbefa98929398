export * from './data-source-options.js';
export * from './database.module.js';
export * from './entities/account.entity.js';
export * from './entities/deletion-request.entity.js';
export * from './migrate.js';
export * from './repositories/accounts.repository.js';
export * from './repositories/deletion-requests.repository.js';
