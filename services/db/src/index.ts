export * from './schema/index.js';
export * from './client.js';
export { ensureDatabase, migrateDatabase, MIGRATIONS_FOLDER } from './migrate.js';
export * from './jobs/to-job.js';
export * from './jobs/read-jobs.js';
export * from './api-keys/authenticate.js';
export * from './jobs/job-from-sql.js';
