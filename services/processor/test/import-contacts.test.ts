import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEvent } from '@docprocessor/bus';
import { toJob } from '@docprocessor/db';
import { build, contact, createJob, csvOf, jobRow, waitFor, waitForFinal, type Harness } from './helper.js';

let h: Harness;
beforeAll(async () => {
  h = await build();
});
afterAll(() => h.close());

const rowErrors = (jobId: string) =>
  h.ctx.db.sql<{ row: number; column: string | null; value: string | null; code: string }[]>`
    select row, "column", value, code from import_row_errors where job_id = ${jobId} order by row, id`;

describe('importing contacts', () => {
  it('writes valid rows as typed values, keeps row errors and completes with exact counts', async () => {
    const csv = csvOf(
      contact(1),
      contact(2, { email: 'not-an-email' }),
      contact(3, { country: 'XX', amount: '1.234' }),
      contact(4, { date: '2023-02-29' }),
      contact(5, { active: 'TRUE', country: 'de' }),
      contact(6, { email: 'josé@bücher.de' }),
      contact(7, { email: 'почта@пример.рф' }),
    );
    const job = await createJob(h, csv);
    const done = await waitForFinal(h, job.id);
    expect(done).toMatchObject({
      status: 'completed',
      processedRows: 7,
      successRows: 4,
      failedRows: 3,
      totalRows: 7,
      bytesProcessed: job.sizeBytes,
    });
    const rows = await h.ctx.db
      .sql`select id, email, country, signup_date::text as d, amount::text as amount, active from contacts order by id`;
    expect(rows.map((r) => r.id)).toEqual([1, 5, 6, 7]);
    expect(rows[0]).toMatchObject({ email: 'user1@example.com', country: 'GB', d: '2024-02-29', amount: '12.50', active: true });
    expect(rows.slice(2).map((r) => r.email)).toEqual(['josé@bücher.de', 'почта@пример.рф']);
    expect(await rowErrors(job.id)).toEqual([
      { row: 2, column: 'email', value: 'not-an-email', code: 'invalid_email' },
      { row: 3, column: 'country', value: 'XX', code: 'invalid_country' },
      { row: 3, column: 'amount', value: '1.234', code: 'too_many_decimals' },
      { row: 4, column: 'signup_date', value: '2023-02-29', code: 'invalid_date' },
    ]);
  });

  it('publishes started, progress and completed events whose counts never go backwards', async () => {
    const csv = csvOf(...Array.from({ length: 20 }, (_, i) => contact(100 + i)));
    const job = await createJob(h, csv);
    await waitForFinal(h, job.id);
    const mine = await waitFor(async () => {
      const events = h.events.filter((e) => e.jobId === job.id);
      return events.some((e) => e.type === 'completed') && events;
    }, 'completed event');
    expect(mine[0]?.type).toBe('created');
    expect(mine[1]?.type).toBe('started');
    expect(mine.at(-1)).toMatchObject({
      type: 'completed',
      job: { status: 'completed', processedRows: 20, successRows: 20, totalRows: 20, progress: 1 },
    });
    const counts = mine.map((e) => e.job.processedRows);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    for (const e of mine) expect(e.job.processedRows).toBe(e.job.successRows + e.job.failedRows);
  });

  it('completes a header-only file with 0 rows and reports extra columns', async () => {
    const job = await createJob(h, `${'\uFEFF'}ID, Email ,first_name,last_name,country,signup_date,amount,active,shoe_size\n`);
    expect(await waitForFinal(h, job.id)).toMatchObject({
      status: 'completed',
      processedRows: 0,
      totalRows: 0,
      ignoredColumns: ['shoe_size'],
    });
  });

  it('fails the job before writing anything when a required column is missing', async () => {
    const job = await createJob(h, 'id,email,frist_name\n900,a@b.co,Ada\n');
    const done = await waitForFinal(h, job.id);
    expect(done.status).toBe('failed');
    // The misspelt column is reported, as it is on a job that completes.
    expect(done.ignoredColumns).toEqual(['frist_name']);
    expect(done.error).toMatchObject({ kind: 'validation', code: 'missing_columns', message: expect.stringContaining('first_name') });
    expect(await h.ctx.db.sql`select 1 from contacts where id = 900`).toHaveLength(0);
  });

  it('fails with the row where the CSV breaks when a quote is never closed', async () => {
    const job = await createJob(h, csvOf(contact(300), contact(301), '302,"unterminated,Ada,Lovelace,,GB,2024-01-01,1,yes,'));
    const done = await waitForFinal(h, job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ kind: 'validation', code: 'unterminated_quote', row: 3 });
  });

  it('reports ragged rows as column_count errors and goes on', async () => {
    const job = await createJob(h, csvOf(contact(400), '401,a@b.co,Ada', `${contact(402)},extra`, `${contact(403)},,`));
    const done = await waitForFinal(h, job.id);
    expect(done).toMatchObject({ status: 'completed', processedRows: 4, successRows: 2, failedRows: 2 });
    expect((await rowErrors(job.id)).map((e) => [e.row, e.code])).toEqual([
      [2, 'column_count'],
      [3, 'column_count'],
    ]);
  });

  it('reads UTF-16 files with a byte-order mark', async () => {
    const text = csvOf(contact(500, { first: 'Zoë' }));
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const job = await createJob(h, utf16);
    expect(await waitForFinal(h, job.id)).toMatchObject({ status: 'completed', successRows: 1 });
    const [row] = await h.ctx.db.sql`select first_name from contacts where id = 500`;
    expect(row?.first_name).toBe('Zoë');
  });

  it('updates rows that an earlier import wrote (upsert), not duplicates', async () => {
    const first = await createJob(h, csvOf(contact(600), contact(601)));
    await waitForFinal(h, first.id);
    const second = await createJob(h, csvOf(contact(600, { first: 'Grace' }), contact(601)));
    expect(await waitForFinal(h, second.id)).toMatchObject({ status: 'completed', successRows: 2, failedRows: 0 });
    const [row] = await h.ctx.db.sql`select first_name, import_job_id from contacts where id = 600`;
    expect(row).toMatchObject({ first_name: 'Grace', import_job_id: second.id });
  });

  it('fails a job whose file is gone with a system error', async () => {
    const job = await createJob(h, csvOf(contact(700)), { publish: false });
    await h.ctx.files.delete(job.objectName);
    await publishEvent(h.ctx.bus, 'created', toJob(job), { tenantId: job.tenantId });
    const done = await waitForFinal(h, job.id);
    expect(done.error).toMatchObject({ kind: 'system', code: 'file_missing' });
    expect((await jobRow(h, job.id)).status).toBe('failed');
  });
});
