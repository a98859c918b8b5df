import { getTableColumns, type Table } from 'drizzle-orm';
import { importJobs, type ImportJobRow } from '../schema/import-jobs.js';

/**
 * Maps a raw `returning *` / `select *` row (snake_case, driver values) to the typed row drizzle gives. The raw
 * client shares drizzle's parsers, which leave timestamps as text for drizzle to map: so raw rows go through here.
 */
export function rowFromSql<T extends Table>(table: T): (record: Record<string, unknown>) => T['$inferSelect'] {
  const columns = Object.entries(getTableColumns(table));
  return (record) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = record[column.name];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T['$inferSelect'];
  };
}

/** Maps a raw row of import_jobs to the typed row drizzle gives. */
export const jobFromSql: (record: Record<string, unknown>) => ImportJobRow = rowFromSql(importJobs);
