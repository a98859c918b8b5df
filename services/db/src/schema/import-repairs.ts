import { bigint, bigserial, integer, json, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { importJobs } from './import-jobs.js';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * A failed row's original cells, written with its row errors in its batch's transaction: errors.csv gives them back
 * under the file's own header, and a fix of the row replaces them.
 */
export const importFailedRows = pgTable(
  'import_failed_rows',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => importJobs.id, { onDelete: 'cascade' }),
    row: bigint('row', { mode: 'number' }).notNull(),
    cells: jsonb('cells').$type<string[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.row] })],
);

/**
 * Rows as they were before an import overwrote them, written in the same transaction as the batch that did, so a
 * revert can put them back: one image per batch and earlier writer (split at every 10,000th source row), its
 * rows a JSON array of objects, column name to value. As JSON, so a table changed since (a column added) still
 * restores; `json` rather than `jsonb`, because PostgreSQL stores `json_agg`'s text as it is. No secondary indexes:
 * the update path pays for one append per batch, and a revert reads its job's images in one pass.
 */
export const importBeforeImages = pgTable('import_before_images', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  /** The import that overwrote the rows. */
  jobId: uuid('job_id').notNull(),
  /** `schema.table`, quoted, as the import wrote to it. */
  target: text('target').notNull(),
  /** The import that had written the rows before (their lineage): a revert of that one conflicts with this one. */
  previousJobId: uuid('previous_job_id'),
  /** How many rows `image` holds. */
  rowCount: integer('row_count').notNull(),
  image: json('image').notNull(),
  takenAt: ts('taken_at').notNull().defaultNow(),
});
