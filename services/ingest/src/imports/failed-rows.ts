import { AppError } from '@docprocessor/contracts';
import type { DbClient } from '@docprocessor/db';

const CHUNK = 10_000;
const NAMED = 10;

/**
 * Refuses (invalid_fix) a fix naming rows that are not failed rows of the job now: rows it never failed, rows an
 * earlier fix corrected, and rows whose errors were only counted (past MAX_STORED_ERRORS, so errors.csv has no line).
 */
export async function checkFailedRows(db: DbClient, jobId: string, rows: readonly number[]): Promise<void> {
  const unknown: number[] = [];
  for (let at = 0; at < rows.length && unknown.length < NAMED; at += CHUNK) {
    const chunk = rows.slice(at, at + CHUNK);
    const found = await db.sql<{ row: number }[]>`
      select distinct row from import_row_errors where job_id = ${jobId} and row = any(${chunk}::bigint[])`;
    const failed = new Set(found.map((f) => Number(f.row)));
    for (const row of chunk) if (!failed.has(row) && unknown.length < NAMED) unknown.push(row);
  }
  if (unknown.length === 0) return;
  const plural = unknown.length > 1;
  throw new AppError(
    'invalid_fix',
    `The fix names ${plural ? 'rows' : 'row'} ${unknown.join(', ')}${unknown.length === NAMED ? ' and maybe more' : ''}, ` +
      `which ${plural ? 'are not failed rows' : 'is not a failed row'} of import ${jobId} (errors.csv lists the ones that are)`,
  );
}
