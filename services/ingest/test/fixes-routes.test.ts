import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Job, RepairItem, repairSubject } from '@docprocessor/contracts';
import { completeJob, importFailedRows, importJobs, importRowErrors, recordBatch, recordHeader, startJob } from '@docprocessor/db';
import { workbookBytes } from '@docprocessor/workbook/testing';
import { eq } from 'drizzle-orm';
import { API_KEY, build, CONTACTS_HEADER, contactsCsv, multipart, storedObjectNames, upload, type Harness } from './helper.js';

let h: Harness;
beforeAll(async () => {
  h = await build();
});
afterAll(() => h.close());

const HEADER = CONTACTS_HEADER.split(',');
const line = (id: number, email = `u${id}@example.com`) => [
  String(id),
  email,
  'Ada',
  'Lovelace',
  '',
  'GB',
  '2024-01-02',
  '10.50',
  'true',
  '',
];

/** A completed import of 3 rows whose rows 2 and 3 failed, as a worker leaves it. */
async function completedWithFailures(): Promise<string> {
  const { id } = (await upload(h, contactsCsv(3))).json();
  const claim = (await startJob(h.ctx.db, id))!;
  const attempt = claim.row.attempt;
  await recordHeader(h.ctx.db, id, attempt, HEADER, []);
  await h.ctx.db.db.insert(importRowErrors).values([
    { jobId: id, row: 2, column: 'email', value: 'nope', code: 'invalid_email', message: 'is not a valid email address' },
    { jobId: id, row: 3, column: 'country', value: 'XX', code: 'invalid_country', message: 'is not a country code' },
  ]);
  await h.ctx.db.db.insert(importFailedRows).values([
    { jobId: id, row: 2, cells: line(2, 'nope') },
    { jobId: id, row: 3, cells: line(3) },
  ]);
  await recordBatch(h.ctx.db.sql, id, attempt, { processed: 3, success: 1, failed: 2, errors: 2 }, 100);
  expect(await completeJob(h.ctx.db, id, attempt)).toBeDefined();
  return id;
}

const csv = (header: string[], ...rows: string[][]) => `${[header, ...rows].map((r) => r.join(',')).join('\n')}\n`;
const fixCsv = (...rows: string[][]) => csv([...HEADER, '_row', '_errors'], ...rows);
const postFix = (jobId: string, content: string | Buffer, filename = 'fix.csv', fields: Record<string, string> = {}) => {
  const body = multipart({ content, filename }, fields);
  return h.app.inject({ method: 'POST', url: `/api/imports/${jobId}/fixes`, payload: body.payload, headers: body.headers });
};
const fixObjects = async (jobId: string) => (await storedObjectNames(h)).filter((name) => name.startsWith(`${jobId}.fix.`));

describe('POST /api/imports/:id/fixes', () => {
  it('answers 202 with the job and its pending fix, and queues the fix for the processors', async () => {
    const id = await completedWithFailures();
    const res = await postFix(id, fixCsv([...line(2), '2', 'email: is not a valid email address']), 'people-errors.csv');
    expect(res.statusCode, res.body).toBe(202);
    const job = Job.parse(res.json());
    expect(job).toMatchObject({ id, status: 'completed', failedRows: 2 });
    expect(job.fixes).toEqual([
      {
        id: expect.any(String),
        filename: 'people-errors.csv',
        rows: 0,
        fixed: 0,
        stillFailing: 0,
        status: 'pending',
        error: null,
        at: expect.any(String),
      },
    ]);
    expect(Object.keys(job.fixes[0]!), 'where the file is stored is not shown').not.toContain('objectName');
    const message = await h.ctx.bus.jsm.streams.getMessage(h.ctx.bus.names.stream, {
      last_by_subj: repairSubject(h.ctx.bus.names, id, 'fix'),
    });
    expect(RepairItem.parse(message!.json())).toMatchObject({ kind: 'fix', jobId: id, fixId: job.fixes[0]!.id });
    expect(await fixObjects(id)).toEqual([`${id}.fix.${job.fixes[0]!.id}`]);

    // One fix at a time.
    const again = await postFix(id, fixCsv([...line(3), '3', '']));
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toEqual({ code: 'invalid_state', message: expect.stringContaining('still pending') });
    expect(await fixObjects(id), 'a refused fix keeps no file').toHaveLength(1);
  });

  it('takes columns in another order, without _errors, in another case, and an .xlsx workbook', async () => {
    const reordered = await completedWithFailures();
    const header = [...HEADER].reverse().map((name) => name.toUpperCase());
    expect((await postFix(reordered, csv(['_row', ...header], ['3', ...line(3).reverse()]))).statusCode).toBe(202);

    const workbook = await completedWithFailures();
    const xlsx = await workbookBytes([
      {
        name: 'errors',
        rows: [
          [...HEADER, '_row', '_errors'],
          [...line(2), 2, 'email: wrong'],
        ],
      },
    ]);
    const res = await postFix(workbook, xlsx, 'errors.xlsx');
    expect(res.statusCode, res.body).toBe(202);
    const [stored] = await h.ctx.db.db.select().from(importJobs).where(eq(importJobs.id, workbook));
    expect(stored!.fixes[0]).toMatchObject({ format: 'xlsx', filename: 'errors.xlsx' });
  });

  it.each([
    ['another header', () => csv([...HEADER.slice(0, -1), 'note', '_row'], [...line(2).slice(0, -1), '', '2']), ['"notes"', '"note"']],
    ['no _row column', () => csv(HEADER, line(2)), ['"_row"']],
    [
      'a row the job never failed',
      () => fixCsv([...line(2), '2', ''], [...line(1), '1', ''], [...line(9), '9', '']),
      ['rows 1, 9', 'not failed rows'],
    ],
    ['a line without its row', () => fixCsv([...line(2), '', 'x']), ['Line 2', 'no "_row"']],
    ['a row twice', () => fixCsv([...line(2), '2', ''], [...line(2), '2', '']), ['Row 2 is corrected twice']],
    ['no rows', () => fixCsv(), ['no rows']],
  ])('answers 400 invalid_fix to %s, naming it, and keeps nothing', async (_what, content, named) => {
    const id = await completedWithFailures();
    const res = await postFix(id, content());
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('invalid_fix');
    for (const text of named) expect(res.json().error.message).toContain(text);
    expect(await fixObjects(id)).toEqual([]);
    const [job] = await h.ctx.db.db.select().from(importJobs).where(eq(importJobs.id, id));
    expect(job!.fixes).toEqual([]);
  });

  it('answers 400 to another form field, 404 to an unknown job or one of another tenant', async () => {
    const id = await completedWithFailures();
    const extra = await postFix(id, fixCsv([...line(2), '2', '']), 'fix.csv', { template: 'contacts' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.message).toContain('"template"');
    expect((await postFix('00000000-0000-4000-8000-000000000000', fixCsv([...line(2), '2', '']))).statusCode).toBe(404);
    await h.ctx.db.db.update(importJobs).set({ tenantId: 'someone-else' }).where(eq(importJobs.id, id));
    const foreign = await postFix(id, fixCsv([...line(2), '2', '']));
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('not_found');
    expect(await fixObjects(id)).toEqual([]);
  });

  it('answers 409 for a job that is not completed, a dry run, a reverted one, or one without failed rows', async () => {
    const pending = (await upload(h, contactsCsv(1))).json().id as string;
    const dryRun = await completedWithFailures();
    await h.ctx.db.db.update(importJobs).set({ dryRun: true }).where(eq(importJobs.id, dryRun));
    const reverted = await completedWithFailures();
    await h.ctx.db.db
      .update(importJobs)
      .set({ revert: { requestedAt: new Date().toISOString(), toDelete: null, toRestore: null, done: 0 } })
      .where(eq(importJobs.id, reverted));
    const clean = await completedWithFailures();
    await h.ctx.db.db.update(importJobs).set({ failedRows: 0, successRows: 3 }).where(eq(importJobs.id, clean));
    for (const [id, says] of [
      [pending, 'is pending'],
      [dryRun, 'dry run'],
      [reverted, 'reverted'],
      [clean, 'no failed rows'],
    ] as const) {
      const res = await postFix(id, fixCsv([...line(2), '2', '']));
      expect(res.statusCode, `${says}: ${res.body}`).toBe(409);
      expect(res.json().error).toEqual({ code: 'invalid_state', message: expect.stringContaining(says) });
    }
  });

  it('refuses a request that is not multipart', async () => {
    const id = await completedWithFailures();
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/imports/${id}/fixes`,
      headers: { 'x-api-key': API_KEY, 'content-type': 'text/csv' },
      payload: 'a,b\n',
    });
    expect(res.statusCode).toBe(415);
  });
});
