import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { dropFile, recordedJobRow, recordJobRows, useBrowserPage } from './support/browser.js';
import { expectStackAlive } from './support/checks.js';
import { contactsFixture, type ContactsFixture } from './support/contacts.js';
import { call } from './support/http.js';
import { useStack } from './support/use-stack.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const SCREENSHOT = '/tmp/docprocessor-browser.png';

/** A person in real Chromium, against the one origin: key, file picker, live job row, summary, errors; then a drop. */
describe('the UI in Chromium uploads a CSV and shows the live job and its exact summary', { timeout: 120_000 }, () => {
  const t = useStack({ label: 'browser_upload', env: { PROCESSOR_BATCH_ROWS: '500' } });
  const browser = useBrowserPage();

  /** The summary's four counts, as shown. */
  const shownCounts = async (summary: ReturnType<Page['getByTestId']>) => ({
    processed: await summary.getByTestId('summary-processed').textContent(),
    success: await summary.getByTestId('summary-success').textContent(),
    failed: await summary.getByTestId('summary-failed').textContent(),
    total: await summary.getByTestId('summary-total').textContent(),
  });

  /** The rows of the errors table, as shown: [row, column, code]. */
  const shownErrors = async (summary: ReturnType<Page['getByTestId']>) =>
    summary
      .getByTestId('errors-table')
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => {
          const cells = (row as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }).querySelectorAll(
            'td',
          );
          return [Number(cells[0]?.textContent), cells[1]?.textContent ?? '', cells[3]?.textContent ?? ''] as [number, string, string];
        }),
      );

  const expectedErrors = (fixture: ContactsFixture): Array<[number, string, string]> =>
    [
      ...fixture.broken.map((b): [number, string, string] => [b.row, b.column, b.code]),
      ...fixture.duplicateRows.map((d): [number, string, string] => [d.row, 'id', 'duplicate_key']),
    ].sort((a, b) => a[0] - b[0]);

  it('signs in, uploads through the file picker, and shows the completed summary with exact counts and row errors', async () => {
    const { page } = browser;
    await page.goto(t.stack.url);
    await page.getByTestId('api-key-input').fill(t.stack.apiKey);
    await page.getByTestId('api-key-submit').click();
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();
    await page.getByTestId('jobs-empty').waitFor();
    await recordJobRows(page);

    const fixture = contactsFixture({ rows: 6000, brokenEvery: 293, duplicateIds: [7, 4242], seed: 11 });
    const failed = fixture.broken.length + fixture.duplicateRows.length;
    expect(failed).toBeLessThanOrEqual(50); // one page of the errors table
    await page.getByTestId('file-input').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(fixture.csv) });
    // The mapping step shows the file's head under the template's columns; every header matched by name.
    await page.getByTestId('mapping-step').waitFor();
    await expect.poll(() => page.locator('[data-testid="mapping-header"][data-state="matched"]').count()).toBe(10);
    await page.getByTestId('mapping-import').click();

    const row = page.locator('[data-testid="job-row"]').first();
    await row.waitFor();
    const jobId = (await row.getAttribute('data-job-id'))!;
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => row.textContent()).toContain('people.csv');
    await page.locator(`[data-testid="job-row"][data-job-id="${jobId}"][data-status="completed"]`).waitFor();

    // The newest job's summary opens by itself when it completes, with the exact counts.
    const summary = page.locator(`[data-testid="job-summary"][data-job-id="${jobId}"]`);
    await summary.waitFor();
    expect(await shownCounts(summary)).toEqual({
      processed: String(fixture.rows),
      success: String(fixture.rows - failed),
      failed: String(failed),
      total: String(fixture.rows),
    });

    // The errors table lists exactly the invalid rows, in file order, with their columns and codes.
    await summary.getByTestId('errors-table').waitFor();
    await expect.poll(async () => (await shownErrors(summary)).length).toBe(failed);
    expect(await shownErrors(summary)).toEqual(expectedErrors(fixture));
    await summary.getByTestId('download-errors').waitFor();

    // What the page showed agrees with the API, and it got there live: the row went through processing
    // to completed, and its bar only moved forward.
    const job = (await call<Job>(t.stack, `/api/imports/${jobId}`)).body;
    expect(job).toMatchObject({ status: 'completed', processedRows: fixture.rows, failedRows: failed, totalRows: fixture.rows });
    const seen = await recordedJobRow(page, jobId);
    expect(seen.statuses.at(-1)).toBe('completed');
    expect(seen.statuses).toContain('processing');
    expect(seen.statuses.filter((s) => s === 'completed')).toHaveLength(1);
    expect([...seen.progress].sort((a, b) => a - b)).toEqual(seen.progress);
    expect(seen.progress.at(-1)).toBe(1);
  });

  it('shows a clear refusal for a file that is not CSV', async () => {
    const { page } = browser;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x20)]);
    await page.getByTestId('file-input').setInputFiles({ name: 'invoice.csv', mimeType: 'text/csv', buffer: pdf });
    // The preview refuses it already; importing it anyway gets the upload's own refusal.
    await page.getByTestId('mapping-error').waitFor();
    expect(await page.getByTestId('mapping-error').textContent()).toMatch(/PDF/);
    await page.getByTestId('mapping-import-unchecked').click();
    const refusal = page.getByTestId('upload-error');
    await refusal.waitFor();
    expect(await refusal.getAttribute('data-code')).toBe('unsupported_media_type');
    expect(await refusal.textContent()).toMatch(/PDF/);
    expect(await page.locator('[data-testid="job-row"]').count()).toBe(1);
  });

  it('uploads a file dropped on the drop zone and shows its summary and its webhook deliveries', async () => {
    const { page } = browser;
    // A receiver of the job's events: the summary shows their deliveries.
    const receiver = await WebhookReceiver.start();
    onTestFinished(() => receiver.close());
    const hook = await call<{ secret: string }>(t.stack, '/api/webhooks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, events: ['started', 'completed'] }),
    });
    expect(hook.status).toBe(201);
    receiver.secret = hook.body.secret;
    const fixture = contactsFixture({ rows: 800, brokenEvery: 100, seed: 23 });
    // New ids, so this import inserts rather than updates.
    const text = fixture.csv.replace(/^(\d+),/gm, (_match, id: string) => `${Number(id) + 100_000},`);
    await dropFile(page, 'drop-zone', { name: 'dropped.csv', type: 'text/csv', text });
    await page.getByTestId('mapping-import').click();

    const row = page.locator('[data-testid="job-row"]', { hasText: 'dropped.csv' });
    await row.waitFor();
    const jobId = (await row.getAttribute('data-job-id'))!;
    await page.locator(`[data-testid="job-row"][data-job-id="${jobId}"][data-status="completed"]`).waitFor();
    expect(await page.locator('[data-testid="job-row"]').count()).toBe(2);
    // Newest first.
    expect(await page.locator('[data-testid="job-row"]').first().getAttribute('data-job-id')).toBe(jobId);

    const summary = page.locator(`[data-testid="job-summary"][data-job-id="${jobId}"]`);
    await summary.waitFor();
    expect(await shownCounts(summary)).toEqual({
      processed: '800',
      success: String(800 - fixture.broken.length),
      failed: String(fixture.broken.length),
      total: '800',
    });
    await expect.poll(async () => (await shownErrors(summary)).length).toBe(fixture.broken.length);
    expect((await shownErrors(summary)).map(([r, , code]) => [r, code])).toEqual(fixture.broken.map((b) => [b.row, b.code]));
    // Both events reach the receiver, and the summary comes to say so by itself (no reload).
    const deliveries = summary.getByTestId('webhook-deliveries');
    await deliveries.locator('[data-testid="webhook-delivery"][data-status="delivered"]', { hasText: 'completed' }).waitFor();
    await deliveries.locator('[data-testid="webhook-delivery"][data-status="delivered"]', { hasText: 'started' }).waitFor();
    expect(await deliveries.locator('[data-testid="delivery-response"]').evaluateAll((cells) => cells.map((c) => c.textContent))).toEqual([
      '204',
      '204',
    ]);

    const listed = (await call<{ items: Job[] }>(t.stack, '/api/imports')).body.items;
    expect(listed[0]).toMatchObject({ id: jobId, filename: 'dropped.csv', status: 'completed', failedRows: fixture.broken.length });

    // Finished jobs show full bars (checked in the DOM; the screenshot lets CSS transitions finish first).
    for (const bar of await page.locator('[data-testid="job-row"][data-status="completed"] [data-testid="job-progress"]').all())
      expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    await page.screenshot({ path: SCREENSHOT, fullPage: true, animations: 'disabled' });
  });

  it('the page logged no errors (beyond the refused upload) and every process is still running', async () => {
    // The browser reports the refused upload's 415 as a failed resource load; nothing else may show up.
    expect(browser.problems.filter((p) => !/status of 415/.test(p))).toEqual([]);
    await expectStackAlive(t.stack);
  });
});
