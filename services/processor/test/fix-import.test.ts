import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addJobFix, type ImportJobRow } from '@docprocessor/db';
import { fixImport } from '../src/repair/fix-import.js';
import type { RepairLease } from '../src/work/repair-consumer.js';
import { build, contact, createJob, csvOf, HEADER, jobRow, waitForFinal, type Harness } from './helper.js';

let h: Harness;
beforeAll(async () => {
  h = await build({ PROCESSOR_BATCH_ROWS: '3' });
});
afterAll(() => h.close());

const lease = (renew: () => void = () => undefined, lastDelivery = false): RepairLease => ({ renew, lastDelivery });

/** What ingest does for a fix upload: store the file, record the pending fix; then a worker's delivery of it. */
async function addFix(job: ImportJobRow, content: string): Promise<string> {
  const id = randomUUID();
  const objectName = `${job.id}.fix.${id}`;
  await h.ctx.files.put(objectName, Readable.from([Buffer.from(content)]));
  const fix = {
    id,
    filename: 'fix.csv',
    rows: 0,
    fixed: 0,
    stillFailing: 0,
    status: 'pending' as const,
    error: null,
    at: new Date().toISOString(),
  };
  const added = await addJobFix(h.ctx.db, job.id, job.tenantId, { ...fix, objectName, format: 'csv', encoding: 'utf-8', delimiter: ',' });
  expect(added, 'the job takes the fix').toBeDefined();
  return id;
}
const deliver = (job: ImportJobRow, fixId: string, given = lease()) =>
  fixImport(h.ctx, { kind: 'fix', jobId: job.id, fixId, at: new Date().toISOString() }, given);

const errorsOf = (jobId: string) =>
  h.ctx.db.sql<{ row: number; code: string }[]>`select row, code from import_row_errors where job_id = ${jobId} order by row, id`;
const failedCellsOf = (jobId: string) =>
  h.ctx.db.sql<{ row: number; cells: string[] }[]>`select row, cells from import_failed_rows where job_id = ${jobId} order by row`;
const contactsOf = (jobId: string) =>
  h.ctx.db.sql<{ id: number; email: string; amount: string; source_row: number }[]>`
    select id::int, email, amount::text, source_row::int from contacts where import_job_id = ${jobId} order by id`;
const fixLine = (row: number, line: string) => `${line},${row},whatever was wrong`;
const fixFile = (...lines: string[]) => `${[`${HEADER},_row,_errors`, ...lines].join('\n')}\n`;

/** An import of 7 contacts with rows 2, 4, 5 and 7 failing, completed. */
async function importWithFailures(base: number): Promise<ImportJobRow> {
  const job = await createJob(
    h,
    csvOf(
      contact(base + 1),
      contact(base + 2, { email: 'nope' }),
      contact(base + 3),
      contact(base + 4, { country: 'XX' }),
      contact(base + 5, { amount: '-3' }),
      contact(base + 6),
      contact(base + 7, { date: '2023-02-29', active: 'perhaps' }),
    ),
  );
  const done = await waitForFinal(h, job.id);
  expect(done).toMatchObject({ status: 'completed', successRows: 3, failedRows: 4, fileHeader: HEADER.split(',') });
  return done;
}

describe('a fix of failed rows', () => {
  it('writes the fixed rows into the job, replaces the errors of rows still wrong, and moves the counts', async () => {
    const job = await importWithFailures(100);
    expect((await failedCellsOf(job.id)).map((f) => f.row)).toEqual([2, 4, 5, 7]);
    const fixId = await addFix(
      job,
      fixFile(
        fixLine(2, contact(102)),
        fixLine(4, contact(104, { country: 'fr' })),
        // A guarded cell from errors.csv comes back as the file had it; this one is still out of range.
        fixLine(5, contact(105, { amount: "'-4" })),
        fixLine(7, contact(107, { date: '2023-02-30' })),
      ),
    );
    const before = h.events.length;
    await deliver(job, fixId);

    const after = await jobRow(h, job.id);
    expect(after).toMatchObject({ status: 'completed', successRows: 5, failedRows: 2, processedRows: 7, totalRows: 7, errorsTotal: 2 });
    expect(after.fixes).toEqual([
      expect.objectContaining({ id: fixId, status: 'completed', rows: 4, fixed: 2, stillFailing: 2, error: null }),
    ]);
    expect(await errorsOf(job.id)).toEqual([
      { row: 5, code: 'out_of_range' },
      { row: 7, code: 'invalid_date' },
    ]);
    expect((await failedCellsOf(job.id)).find((f) => f.row === 5)?.cells[7], 'the fix cells replace the old ones').toBe('-4');
    const rows = await contactsOf(job.id);
    expect(rows.map((r) => [r.id, r.source_row])).toEqual([
      [101, 1],
      [102, 2],
      [103, 3],
      [104, 4],
      [106, 6],
    ]);
    // Live: progress events with the job still completed, the last one showing the fix done.
    const progress = h.events.slice(before).filter((e) => e.jobId === job.id);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((e) => e.type === 'progress' && e.job.status === 'completed')).toBe(true);
    expect(progress.at(-1)!.job).toMatchObject({
      failedRows: 2,
      successRows: 5,
      fixes: [expect.objectContaining({ status: 'completed', fixed: 2 })],
    });
    expect(await h.ctx.files.read(`${job.id}.fix.${fixId}`), 'the fix file goes once it is done').toBeNull();

    // A second fix of the rows still wrong: everything is in, the errors are gone.
    const second = await addFix(job, fixFile(fixLine(5, contact(105, { amount: '4' })), fixLine(7, contact(107))));
    await deliver(job, second);
    expect(await jobRow(h, job.id)).toMatchObject({ successRows: 7, failedRows: 0, errorsTotal: 0 });
    expect(await errorsOf(job.id)).toEqual([]);
    expect(await failedCellsOf(job.id)).toEqual([]);
    expect((await contactsOf(job.id)).map((r) => r.id)).toEqual([101, 102, 103, 104, 105, 106, 107]);
    expect((await jobRow(h, job.id)).fixes.map((f) => [f.status, f.fixed])).toEqual([
      ['completed', 2],
      ['completed', 2],
    ]);
  });

  it('resumes after a crash at its last committed batch, counting nothing twice; a delivery of a done fix changes nothing', async () => {
    const job = await importWithFailures(200);
    const fixId = await addFix(
      job,
      fixFile(
        fixLine(2, contact(202)),
        fixLine(4, contact(204, { country: 'de' })),
        fixLine(5, contact(205, { amount: '5' })),
        fixLine(7, contact(207)),
      ),
    );
    // The worker dies right after its first batch (3 rows) commits.
    const crash = lease(() => {
      throw new Error('worker killed');
    });
    await expect(deliver(job, fixId, crash)).rejects.toThrow('worker killed');
    expect(await jobRow(h, job.id)).toMatchObject({
      successRows: 6,
      failedRows: 1,
      fixes: [expect.objectContaining({ status: 'processing', rows: 3, fixed: 3 })],
    });

    await deliver(job, fixId);
    await deliver(job, fixId);
    const done = await jobRow(h, job.id);
    expect(done).toMatchObject({
      successRows: 7,
      failedRows: 0,
      errorsTotal: 0,
      fixes: [expect.objectContaining({ status: 'completed', rows: 4, fixed: 4, stillFailing: 0 })],
    });
    expect((await contactsOf(job.id)).map((r) => r.id)).toEqual([201, 202, 203, 204, 205, 206, 207]);
  });

  it('keeps the duplicate policy: a fixed row repeating a key the job wrote is still a duplicate, with its cells kept', async () => {
    const job = await importWithFailures(300);
    const fixId = await addFix(job, fixFile(fixLine(2, contact(301)), fixLine(4, contact(304))));
    await deliver(job, fixId);
    expect(await jobRow(h, job.id)).toMatchObject({
      successRows: 4,
      failedRows: 3,
      fixes: [expect.objectContaining({ fixed: 1, stillFailing: 1 })],
    });
    expect((await errorsOf(job.id)).filter((e) => e.row === 2)).toEqual([{ row: 2, code: 'duplicate_key' }]);
    expect((await failedCellsOf(job.id)).find((f) => f.row === 2)?.cells[0]).toBe('301');
  });

  it("fails a fix whose header is not the file's, changing nothing, and fails one on its last delivery", async () => {
    const job = await importWithFailures(400);
    const fixId = await addFix(job, `id,email,_row\n402,a@b.co,2\n`);
    await deliver(job, fixId);
    const after = await jobRow(h, job.id);
    expect(after).toMatchObject({ successRows: 3, failedRows: 4 });
    expect(after.fixes[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('"first_name"') });

    const next = await addFix(job, fixFile(fixLine(2, contact(402))));
    await h.ctx.files.delete(`${job.id}.fix.${next}`);
    await deliver(job, next, lease(undefined, true));
    expect((await jobRow(h, job.id)).fixes[1]).toMatchObject({ status: 'failed', error: expect.stringContaining('no longer stored') });
  });
});
