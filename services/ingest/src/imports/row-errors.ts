import { Readable } from 'node:stream';
import { and, asc, count, desc, eq, gt, or, type SQL } from 'drizzle-orm';
import {
  AppError,
  FIX_ERRORS_COLUMN,
  FIX_ROW_COLUMN,
  guardCell,
  type RowError,
  type RowErrorList,
  type RowErrorSummary,
} from '@docprocessor/contracts';
import { findJobRow, importRowErrors, type Database, type DbClient, type Principal } from '@docprocessor/db';

interface Page {
  limit: number;
  cursor?: string | undefined;
  code?: string | undefined;
  column?: string | undefined;
}

/** The job's errors, narrowed to one code and/or one column when asked. */
const errorsOf = (jobId: string, page: Pick<Page, 'code' | 'column'>): SQL | undefined =>
  and(
    eq(importRowErrors.jobId, jobId),
    page.code ? eq(importRowErrors.code, page.code) : undefined,
    page.column ? eq(importRowErrors.column, page.column) : undefined,
  );

async function errorPage(db: Database, jobId: string, page: Page): Promise<{ items: RowError[]; nextCursor: string | null }> {
  const after = page.cursor ? decodeErrorCursor(page.cursor) : undefined;
  const rows = await db
    .select()
    .from(importRowErrors)
    .where(
      and(
        errorsOf(jobId, page),
        after
          ? or(gt(importRowErrors.row, after.row), and(eq(importRowErrors.row, after.row), gt(importRowErrors.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(asc(importRowErrors.row), asc(importRowErrors.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map(({ row, column, value, code, message }) => ({ row, column, value, code, message })),
    nextCursor: rows.length > page.limit && last ? Buffer.from(`${last.row}:${last.id}`).toString('base64url') : null,
  };
}

function decodeErrorCursor(cursor: string): { row: number; id: number } {
  const match = /^(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new AppError('invalid_request', 'The cursor is not one this API gave out');
  return { row: Number(match[1]), id: Number(match[2]) };
}

async function ownedJob(db: Database, principal: Principal, jobId: string) {
  const job = await findJobRow(db, jobId, { tenantId: principal.tenantId });
  if (!job) throw new AppError('not_found', `No import ${jobId}`);
  return job;
}

/** Row errors in file order, one page at a time, with the total (which counts errors past the storage cap too). */
export async function listRowErrors({
  db,
  input,
}: {
  db: Database;
  input: { principal: Principal; jobId: string } & Page;
}): Promise<RowErrorList> {
  const job = await ownedJob(db, input.principal, input.jobId);
  const [page, [stored]] = await Promise.all([
    errorPage(db, job.id, input),
    db.select({ total: count() }).from(importRowErrors).where(errorsOf(job.id, input)),
  ]);
  // Errors past the storage cap are counted but unknown by code or column: a filtered total counts what is stored.
  const filtered = input.code !== undefined || input.column !== undefined;
  return { ...page, total: filtered ? (stored?.total ?? 0) : Math.max(job.errorsTotal, stored?.total ?? 0) };
}

/** Stored row errors counted by code and column, most frequent first ("412 × invalid_email in email"). */
export async function summarizeRowErrors({
  db,
  input,
}: {
  db: Database;
  input: { principal: Principal; jobId: string };
}): Promise<RowErrorSummary> {
  const job = await ownedJob(db, input.principal, input.jobId);
  const n = count();
  const rows = await db
    .select({ code: importRowErrors.code, column: importRowErrors.column, count: n })
    .from(importRowErrors)
    .where(eq(importRowErrors.jobId, job.id))
    .groupBy(importRowErrors.code, importRowErrors.column)
    .orderBy(desc(n), asc(importRowErrors.code), asc(importRowErrors.column));
  const stored = rows.reduce((sum, row) => sum + row.count, 0);
  return { items: rows, total: Math.max(job.errorsTotal, stored) };
}

const csvCell = (value: string | number | null): string => {
  if (value === null) return '';
  const text = typeof value === 'string' ? guardCell(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const csvLine = (cells: ReadonlyArray<string | number | null>): string => `${cells.map(csvCell).join(',')}\r\n`;

interface FailedRowLine {
  row: number;
  cells: string[] | null;
  errors: Array<{ column: string | null; message: string }>;
}

/** One page of failed rows in file order: each row's cells as the file had them (null if not kept) and its errors. */
async function failedRowPage(db: DbClient, jobId: string, afterRow: number, limit: number): Promise<FailedRowLine[]> {
  return db.sql<FailedRowLine[]>`
    select r.row, f.cells, r.errors from (
      select row, json_agg(json_build_object('column', "column", 'message', message) order by id) as errors
      from import_row_errors where job_id = ${jobId} and row > ${afterRow}
      group by row order by row limit ${limit}) r
    left join import_failed_rows f on f.job_id = ${jobId} and f.row = r.row
    order by r.row`;
}

const errorsText = (errors: FailedRowLine['errors']): string =>
  errors.map((e) => (e.column ? `${e.column}: ${e.message}` : e.message)).join('; ');

// Excel reads a CSV as UTF-8 only when it starts with a byte-order mark; every other reader skips it.
const BOM = '\uFEFF';

/**
 * errors.csv: every failed row as the file had it, under the file's own header, then `_row` and `_errors` (all its
 * messages), streamed page by page so a large report never sits in memory. Corrected and uploaded to
 * POST /api/imports/:id/fixes, it goes back into the job. A row whose cells were not kept (a duplicate key found
 * across batches) has empty cells; cells past the header's width are left out. When the job found more errors than it
 * stored (MAX_STORED_ERRORS), a last line without a row says how many more, so the report never looks complete when
 * it is not (a fix skips that line).
 */
export async function rowErrorsCsv({ db, input }: { db: DbClient; input: { principal: Principal; jobId: string } }): Promise<Readable> {
  const job = await ownedJob(db.db, input.principal, input.jobId);
  const header = job.fileHeader ?? [];
  async function* lines(): AsyncGenerator<string> {
    yield BOM + csvLine([...header, FIX_ROW_COLUMN, FIX_ERRORS_COLUMN]);
    let afterRow = 0;
    let written = 0;
    for (;;) {
      const page = await failedRowPage(db, job.id, afterRow, 2000);
      if (page.length === 0) break;
      written += page.reduce((n, line) => n + line.errors.length, 0);
      afterRow = page.at(-1)!.row;
      yield page.map((line) => csvLine([...header.map((_, i) => line.cells?.[i] ?? ''), line.row, errorsText(line.errors)])).join('');
    }
    const unstored = job.errorsTotal - written;
    if (unstored > 0)
      yield csvLine([
        ...header.map(() => ''),
        null,
        `${unstored} more row errors were found; only the first ${written} are stored with detail and listed here`,
      ]);
  }
  return Readable.from(lines());
}
