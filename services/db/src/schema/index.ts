export * from './import-jobs.js';
export * from './import-row-errors.js';
export * from './target-tables.js';
export * from './api-keys.js';
export * from './import-templates.js';
export * from './import-repairs.js';
export * from './webhooks.js';
export * from './people.js';
