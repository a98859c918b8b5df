import { getTableColumns } from 'drizzle-orm';
import { importJobs, type ImportJobRow } from '../schema/import-jobs.js';

const columns = Object.entries(getTableColumns(importJobs));

/** Maps a raw `returning *` row of import_jobs (snake_case, driver values) to the typed row drizzle gives. */
export function jobFromSql(record: Record<string, unknown>): ImportJobRow {
  const row: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const value = record[column.name];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return row as ImportJobRow;
}
