import { Readable } from 'node:stream';
import { and, asc, count, eq, gt, or } from 'drizzle-orm';
import { AppError, type RowError, type RowErrorList } from '@docprocessor/contracts';
import { findJobRow, importRowErrors, type Database, type Principal } from '@docprocessor/db';

interface Page {
  limit: number;
  cursor?: string | undefined;
}

async function errorPage(db: Database, jobId: string, page: Page): Promise<{ items: RowError[]; nextCursor: string | null }> {
  const after = page.cursor ? decodeErrorCursor(page.cursor) : undefined;
  const rows = await db
    .select()
    .from(importRowErrors)
    .where(
      and(
        eq(importRowErrors.jobId, jobId),
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
    db.select({ total: count() }).from(importRowErrors).where(eq(importRowErrors.jobId, job.id)),
  ]);
  return { ...page, total: Math.max(job.errorsTotal, stored?.total ?? 0) };
}

// OWASP CSV injection: a cell a spreadsheet would read as a formula is prefixed with a quote.
const FORMULA_START = /^[=+\-@\t\r]/;
const csvCell = (value: string | number | null): string => {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const csvLine = (cells: ReadonlyArray<string | number | null>): string => `${cells.map(csvCell).join(',')}\r\n`;

/**
 * Every row error as CSV, streamed page by page so a large report never sits in memory. When the job
 * found more errors than it stored (MAX_STORED_ERRORS), a last line without a row says how many more,
 * so a report opened in a spreadsheet never looks complete when it is not.
 */
export async function rowErrorsCsv({ db, input }: { db: Database; input: { principal: Principal; jobId: string } }): Promise<Readable> {
  const job = await ownedJob(db, input.principal, input.jobId);
  async function* lines(): AsyncGenerator<string> {
    yield 'row,column,value,code,message\r\n';
    let cursor: string | null | undefined;
    let written = 0;
    do {
      const page = await errorPage(db, job.id, { limit: 5000, cursor: cursor ?? undefined });
      written += page.items.length;
      yield page.items.map((e) => csvLine([e.row, e.column, e.value, e.code, e.message])).join('');
      cursor = page.nextCursor;
    } while (cursor);
    const unstored = job.errorsTotal - written;
    if (unstored > 0)
      yield csvLine([
        null,
        null,
        null,
        'errors_not_stored',
        `${unstored} more row errors were found; only the first ${written} are stored with detail`,
      ]);
  }
  return Readable.from(lines());
}
