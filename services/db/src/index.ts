export * from './schema/index.js';
export * from './client.js';
export { ensureDatabase, migrateDatabase, MIGRATIONS_FOLDER } from './migrate.js';
export * from './jobs/to-job.js';
export * from './jobs/read-jobs.js';
export * from './api-keys/authenticate.js';
// For the keys command (services/admin): it checks a person's input before it connects.
export { ApiKeyId, parseApiKeyInput } from './api-keys/inputs.js';
export * from './jobs/job-from-sql.js';
export * from './jobs/job-change.js';
export * from './jobs/fences.js';
export * from './jobs/lifecycle.js';
export * from './jobs/held-job.js';
export * from './templates/sql-names.js';
export * from './templates/read-catalog.js';
export * from './templates/bind-table.js';
export * from './templates/managed-tables.js';
export * from './templates/template-store.js';
export * from './templates/define-template.js';
