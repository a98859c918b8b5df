import type { Connection } from '@docprocessor/db';
import { copyInto } from './copy-into.js';
import { copyLine } from './copy-text.js';

export interface StoredRowError {
  row: number;
  column: string | null;
  value: string | null;
  code: string;
  message: string;
}

/** A failed row as the file had it: its cells, in the file's column order. */
export interface FailedRow {
  row: number;
  cells: readonly string[];
}

/** PostgreSQL text cannot hold NUL, so a cell that has one is kept with U+FFFD in its place. */
function storable(value: string): string;
function storable(value: string | null): string | null;
function storable(value: string | null): string | null {
  return value?.includes('\u0000') ? value.replaceAll('\u0000', '\uFFFD') : value;
}

/**
 * A batch's row errors, and its failed rows' cells, in the batch's transaction; past `room` (MAX_STORED_ERRORS
 * in all) errors are only counted. A failed row is kept while any of its errors is.
 */
export async function storeRowErrors(
  conn: Connection,
  run: { jobId: string },
  errors: readonly StoredRowError[],
  failedRows: readonly FailedRow[],
  room: number,
): Promise<void> {
  const kept = errors.slice(0, room);
  await copyInto(
    conn,
    'import_row_errors',
    ['job_id', 'row', '"column"', 'value', 'code', 'message'],
    kept.map((e) => copyLine([run.jobId, e.row, e.column, storable(e.value), e.code, e.message])).join(''),
  );
  const keptRows = new Set(kept.map((e) => e.row));
  await copyInto(
    conn,
    'import_failed_rows',
    ['job_id', 'row', 'cells'],
    failedRows
      .filter((f) => keptRows.has(f.row))
      .map((f) => copyLine([run.jobId, f.row, JSON.stringify(f.cells.map(storable))]))
      .join(''),
  );
}
