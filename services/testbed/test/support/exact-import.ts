import { expect } from 'vitest';
import type { ImportEvent } from '@docprocessor/contracts';
import type { ImportJobRow } from '@docprocessor/db';
import type { ContactsFile } from './contacts.js';
import { countsGoingBackwards } from './event-log.js';
import type { TestDb } from './test-db.js';

/**
 * The checks every fault test ends with: the job completed with the file's exact counts, the table holds
 * each valid row once (within the file's ids), every invalid row has exactly one stored error, and no event's counts went backwards.
 */
export async function expectExactImport(
  db: TestDb,
  jobId: string,
  file: ContactsFile,
  events: { live: ImportEvent[]; replayed: ImportEvent[] },
  /** What the whole table holds: the file's valid rows unless other files were imported beside it. */
  tableRows = file.rows - file.invalid,
): Promise<ImportJobRow> {
  const valid = file.rows - file.invalid;
  const job = await db.job(jobId);
  expect(job, JSON.stringify(job.error)).toMatchObject({
    status: 'completed',
    processedRows: file.rows,
    totalRows: file.rows,
    successRows: valid,
    failedRows: file.invalid,
    error: null,
  });
  const left = await db.footprint(jobId, file.firstId);
  expect(left).toEqual({
    rows: valid,
    distinctIds: valid,
    minId: left.minId,
    maxId: left.maxId,
    errors: file.invalid,
    errorRows: file.invalid,
    overlap: 0,
    tableRows,
  });
  expect(left.maxId).toBeLessThan(file.firstId + file.rows);
  expect(left.minId).toBeGreaterThanOrEqual(file.firstId);
  for (const [name, list] of Object.entries(events)) {
    expect(list.length, `${name} events`).toBeGreaterThan(0);
    expect(countsGoingBackwards(list), `${name} events`).toBeNull();
    const last = { type: 'completed', job: { processedRows: file.rows, successRows: valid } };
    expect(list.at(-1), `last of the ${name} events`).toMatchObject(last);
  }
  return job;
}
