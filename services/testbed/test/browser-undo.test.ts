import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { CONTACTS_HEADER } from '../src/bench/generate-contacts.js';
import { recordedJobRow, recordJobRows, useBrowserPage } from './support/browser.js';
import { csvField } from './support/contacts.js';
import { call, finalJob, uploadJob } from './support/http.js';
import { useStack } from './support/use-stack.js';

/** Where the screenshots go: SCREENSHOT_DIR=docs/images refreshes the README's (undo-*.png). */
const SHOTS = process.env.SCREENSHOT_DIR ?? tmpdir();
const shot = (name: string) => join(SHOTS, `undo-${name}.png`);

type Cells = Record<string, string>;
const COLUMNS = CONTACTS_HEADER.split(',');
const contact = (id: number, changes: Cells = {}): Cells => ({
  id: String(id),
  email: `p${id}@example.com`,
  first_name: 'Ada',
  last_name: `Last${id}`,
  company: 'ACME',
  country: 'GB',
  signup_date: '2024-01-15',
  amount: '10.50',
  active: 'true',
  notes: '',
  ...changes,
});
const csvOf = (rows: Cells[], columns = COLUMNS) =>
  `${columns.join(',')}\n${rows.map((row) => columns.map((c) => csvField(row[c] ?? '')).join(',')).join('\n')}\n`;

/** Ids 1 to 4, in the table before the story starts. */
const BEFORE = [1, 2, 3, 4].map((id) => contact(id, { first_name: 'Before' }));
/** Changes ids 3 and 4, adds 5 to 12; four rows each break one rule (id 4 is an update). */
const MISTAKES: Record<number, Cells> = {
  4: { country: 'XX' },
  6: { email: 'not-an-email' },
  8: { signup_date: '2023-02-30' },
  10: { amount: '12.345' },
};
const CORRECTIONS: Record<number, Cells> = {
  4: { country: 'DE' },
  6: { email: 'p6@example.com' },
  8: { signup_date: '2023-02-28' },
  10: { amount: '12.34' },
};
const FILE = csvOf([3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((id) => contact(id, { first_name: 'New', ...MISTAKES[id] })));

/**
 * Undo and repair as a person does it in real Chromium: an import with mistakes stops at their threshold and, all or
 * nothing, leaves the table untouched; imported again with errors allowed, its errors are downloaded, corrected and
 * uploaded as fixes into the same job until none fail; then the whole import is reverted and the table is as before.
 */
describe('the UI in Chromium: thresholds, all or nothing, fixes into the same job, and revert', { timeout: 240_000 }, () => {
  const t = useStack({ label: 'browser_undo' });
  const browser = useBrowserPage();

  /** Every row of the table as text, lineage columns included: "as before" means byte for byte. */
  const table = async () => (await t.sql.unsafe('select c::text as row from contacts c order by id')).map((r) => r.row as string);
  let before: string[] = [];
  let jobId = '';

  const newestJob = async (count: number): Promise<Job> => {
    await expect.poll(async () => (await call<{ items: Job[] }>(t.stack, '/api/imports')).body.items.length).toBe(count);
    return (await call<{ items: Job[] }>(t.stack, '/api/imports')).body.items[0]!;
  };
  const summaryOf = (id: string) => browser.page.locator(`[data-testid="job-summary"][data-job-id="${id}"]`);
  const rowOf = (id: string, status: string) =>
    browser.page.locator(`[data-testid="job-row"][data-job-id="${id}"][data-status="${status}"]`);

  async function importFile(name: string): Promise<void> {
    const { page } = browser;
    await page.getByTestId('file-input').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(FILE) });
    await page.getByTestId('mapping-step').waitFor();
    await expect.poll(() => page.locator('[data-testid="mapping-header"][data-state="matched"]').count()).toBe(COLUMNS.length);
    await page.getByTestId('mapping-import').click();
  }

  it('stops at the threshold, all or nothing, and leaves the table untouched', async () => {
    const seed = await uploadJob(t.stack, csvOf(BEFORE), { fields: { template: 'contacts' } });
    expect((await finalJob(t.stack, seed.id)).status).toBe('completed');
    before = await table();
    expect(before).toHaveLength(4);

    const { page } = browser;
    await page.goto(t.stack.url);
    await page.getByTestId('api-key-input').fill(t.stack.apiKey);
    await page.getByTestId('api-key-submit').click();
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();
    await page.getByLabel('Stop after').fill('2');
    await page.getByRole('checkbox', { name: 'All or nothing' }).check();
    await page.getByTestId('failure-options').screenshot({ path: shot('options') });
    await importFile('march.csv');

    const stopped = await newestJob(2);
    expect(stopped).toMatchObject({ maxErrors: 2, maxErrorRate: null, atomic: true });
    await rowOf(stopped.id, 'failed').waitFor();
    const summary = summaryOf(stopped.id);
    await summary.waitFor();
    expect(await summary.getByTestId('summary-error').textContent()).toContain('too_many_errors');
    expect(await summary.getByTestId('summary-atomic').textContent()).toContain('the table was left as it was');
    expect((await call<Job>(t.stack, `/api/imports/${stopped.id}`)).body.error?.code).toBe('too_many_errors');
    expect(await table()).toEqual(before);
  });

  it('imports with errors allowed, then fixes the downloaded errors into the same job until none fail', async () => {
    const { page } = browser;
    await page.getByLabel('Stop after').fill('');
    await page.getByRole('checkbox', { name: 'All or nothing' }).uncheck();
    await recordJobRows(page);
    await importFile('march.csv');
    jobId = (await newestJob(3)).id;
    await rowOf(jobId, 'completed').waitFor();
    const summary = summaryOf(jobId);
    await summary.waitFor();
    await expect.poll(() => summary.getByTestId('summary-failed').textContent()).toBe('4');
    expect(await summary.getByTestId('summary-success').textContent()).toBe('6');

    // "Download errors to fix": the failed rows' own cells under the file's header, then _row and _errors.
    const [download] = await Promise.all([page.waitForEvent('download'), summary.getByTestId('download-errors').click()]);
    const errorsCsv = await readFile((await download.path())!, 'utf8');
    const rows = parse(errorsCsv, { columns: true, bom: true }) as Cells[];
    expect(Object.keys(rows[0] ?? {})).toEqual([...COLUMNS, '_row', '_errors']);
    expect(rows.map((r) => Number(r.id))).toEqual([4, 6, 8, 10]);
    expect(rows.map((r) => Number(r._row))).toEqual([2, 4, 6, 8]);
    for (const row of rows) for (const [column, value] of Object.entries(MISTAKES[Number(row.id)]!)) expect(row[column]).toBe(value);

    // Corrected as in a spreadsheet (the two extra columns stay), and uploaded into the same job.
    const fixed = csvOf(
      rows.map((row) => ({ ...row, ...CORRECTIONS[Number(row.id)] })),
      [...COLUMNS, '_row', '_errors'],
    );
    await summary
      .getByTestId('fixes-file-input')
      .setInputFiles({ name: 'march-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
    const history = summary.locator('[data-testid="fix-row"][data-status="completed"]');
    await history.waitFor();
    await expect.poll(() => summary.getByTestId('summary-failed').textContent()).toBe('0');
    expect(await summary.getByTestId('summary-success').textContent()).toBe('10');
    expect(await history.getByTestId('fix-fixed').textContent()).toBe('4');
    expect(await history.getByTestId('fix-still-failing').textContent()).toBe('0');
    expect(await summary.getByTestId('fixes-upload').count()).toBe(0);
    await summary.screenshot({ path: shot('fixes') });

    const job = (await call<Job>(t.stack, `/api/imports/${jobId}`)).body;
    expect(job).toMatchObject({ id: jobId, status: 'completed', successRows: 10, failedRows: 0 });
    expect(job.fixes).toMatchObject([{ filename: 'march-fixed.csv', rows: 4, fixed: 4, stillFailing: 0, status: 'completed' }]);
    const written = await t.sql.unsafe(
      `select id::int as id, email, country, to_char(signup_date, 'YYYY-MM-DD') as signup_date, amount::text as amount
         from contacts where import_job_id = $1 order by id`,
      [jobId],
    );
    expect(written.map((r) => r.id)).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(written.find((r) => r.id === 4)?.country).toBe('DE');
    expect(written.find((r) => r.id === 6)?.email).toBe('p6@example.com');
    expect(written.find((r) => r.id === 8)?.signup_date).toBe('2023-02-28');
    expect(Number(written.find((r) => r.id === 10)?.amount)).toBe(12.34);
    // The fixes moved the counts while the job stayed completed.
    expect((await recordedJobRow(page, jobId)).statuses.at(-1)).toBe('completed');
  });

  it('reverts the whole import after confirming what it will do, and the table is as before', async () => {
    const { page } = browser;
    const summary = summaryOf(jobId);
    await summary.getByTestId('job-revert').click();
    const confirm = summary.getByTestId('revert-confirm');
    await confirm.waitFor();
    expect(await confirm.getByTestId('revert-plan').textContent()).toBe('Deletes 8 rows this import added and restores 2 rows it changed.');
    await summary.screenshot({ path: shot('revert') });
    await confirm.getByTestId('revert-yes').click();

    await rowOf(jobId, 'reverted').waitFor();
    await summary.getByTestId('revert-done').waitFor();
    expect(await page.locator(`[data-testid="job-row"][data-job-id="${jobId}"] .badge`).textContent()).toBe('Reverted');
    expect((await call<Job>(t.stack, `/api/imports/${jobId}`)).body).toMatchObject({
      status: 'reverted',
      revert: { toDelete: 8, toRestore: 2, done: 10 },
    });
    expect(await table()).toEqual(before);
    // Live: completed once (fixes and the revert's progress left the status alone), then reverted.
    const seen = (await recordedJobRow(page, jobId)).statuses;
    expect(seen.slice(-2)).toEqual(['completed', 'reverted']);
    expect(seen.filter((s) => s === 'completed')).toHaveLength(1);
    expect(browser.problems).toEqual([]);
  });
});
