/**
 * The import pipeline's JavaScript half, for tools that measure it without PostgreSQL or NATS
 * (services/testbed/src/bench/parse-cost.ts): read, validate and encode exactly as an import does.
 */
export { readCsv } from './read/read-csv.js';
export { BatchBuilder } from './validate/batch-builder.js';
export { managedTargetTable } from './write/target-table.js';
