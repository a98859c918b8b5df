import { bigint, bigserial, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { importJobs } from './import-jobs.js';

/** Row-level validation failures, written in the same transaction as the rows of their batch. */
export const importRowErrors = pgTable(
  'import_row_errors',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    jobId: uuid('job_id')
      .notNull()
      .references(() => importJobs.id, { onDelete: 'cascade' }),
    row: bigint('row', { mode: 'number' }).notNull(),
    column: text('column'),
    value: text('value'),
    code: text('code').notNull(),
    message: text('message').notNull(),
  },
  (t) => [index('import_row_errors_job_row_idx').on(t.jobId, t.row, t.id)],
);

export type ImportRowErrorRow = typeof importRowErrors.$inferSelect;
