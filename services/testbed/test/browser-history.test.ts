import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { seriousViolations } from './support/axe.js';
import { saveScreenshot, useBrowserPage } from './support/browser.js';
import { expectStackAlive } from './support/checks.js';
import { contactsFixture } from './support/contacts.js';
import { call } from './support/http.js';
import { useStack } from './support/use-stack.js';

const EARLIER = 64; // more than one page of 50
const FAILED_EVERY = 7;
const WIDE = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 780 };

/** How far the page itself scrolls sideways (0: it fits the viewport). */
const sidewaysScroll = (page: Page): Promise<number> =>
  page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth') as Promise<number>;

const pageBackground = (page: Page): Promise<string> =>
  page.evaluate('getComputedStyle(document.documentElement).backgroundColor') as Promise<string>;

/**
 * The history UI in real Chromium over a history longer than a page: the table pages with the cursor, filters by
 * status and file name through the URL, opens a job by a shared link that survives a reload and Back, switches
 * themes, fits a 360 px screen, and passes axe-core with no serious violations; every main screen is photographed
 * light and dark, wide and narrow.
 */
describe('the UI in Chromium: a team’s whole history, one job’s page, themes, phones and accessibility', { timeout: 240_000 }, () => {
  const t = useStack({ label: 'browser_history' });
  const browser = useBrowserPage(WIDE);
  let base: Job;

  const shoot = (name: string) => saveScreenshot(browser.page, name);

  it('seeds a history: one real import with row errors, then earlier jobs copied from it', async () => {
    const fixture = contactsFixture({ rows: 400, brokenEvery: 37, duplicateIds: [5], seed: 3 });
    const form = new FormData();
    form.set('template', 'contacts');
    form.set('file', new Blob([fixture.csv], { type: 'text/csv' }), 'customers-march.csv');
    const created = await call<Job>(t.stack, '/api/imports', { method: 'POST', body: form });
    expect(created.status).toBe(202);
    await expect
      .poll(async () => (await call<Job>(t.stack, `/api/imports/${created.body.id}`)).body.status, { timeout: 60_000 })
      .toBe('completed');
    base = (await call<Job>(t.stack, `/api/imports/${created.body.id}`)).body;
    expect(base.failedRows).toBeGreaterThan(0);
    // Earlier jobs, an hour apart, every seventh failed: a history as the database would hold it.
    await t.sql.unsafe(
      `insert into import_jobs
       select (jsonb_populate_record(j, jsonb_build_object(
         'id', gen_random_uuid(), 'filename', 'batch-' || g || '.csv', 'idempotency_key', null,
         'status', case when g % ${FAILED_EVERY} = 0 then 'failed' else 'completed' end,
         'created_at', j.created_at - g * interval '1 hour', 'updated_at', j.created_at - g * interval '1 hour'))).*
       from import_jobs j, generate_series(1, ${EARLIER}) g where j.id = $1`,
      [base.id],
    );
  });

  it('pages the table past 50 jobs with the cursor', async () => {
    const { page } = browser;
    await page.goto(t.stack.url);
    await page.getByTestId('api-key-input').fill(t.stack.apiKey);
    await page.getByTestId('api-key-submit').click();
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();
    const rows = page.locator('[data-testid="job-row"]');
    await expect.poll(() => rows.count()).toBe(50);
    expect(await rows.first().getAttribute('data-job-id')).toBe(base.id);
    await shoot('jobs-light-wide');
    await page.getByTestId('jobs-load-more').click();
    await expect.poll(() => rows.count()).toBe(EARLIER + 1);
    expect(await page.getByTestId('jobs-load-more').count()).toBe(0);
    expect(await rows.last().textContent()).toContain(`batch-${EARLIER}.csv`);
  });

  it('filters by status and searches by file name, in the URL', async () => {
    const { page } = browser;
    await page.getByTestId('filter-status').selectOption('failed');
    await expect.poll(() => page.url()).toContain('status=failed');
    const failed = Math.floor(EARLIER / FAILED_EVERY);
    await expect.poll(() => page.locator('[data-testid="job-row"]').count()).toBe(failed);
    expect(await page.locator('[data-testid="job-row"]:not([data-status="failed"])').count()).toBe(0);
    await page.getByTestId('filter-search').fill('batch-14.');
    await page.getByTestId('filter-search').press('Enter');
    await expect.poll(() => page.locator('[data-testid="job-row"]').count()).toBe(1);
    expect(await page.locator('[data-testid="job-row"]').textContent()).toContain('batch-14.csv');
    // A filtered view survives a reload (it is in the URL).
    await page.reload();
    await expect.poll(() => page.locator('[data-testid="job-row"]').count()).toBe(1);
    await page.getByTestId('filter-clear').click();
    await expect.poll(() => page.locator('[data-testid="job-row"]').count()).toBe(50);
  });

  it('puts a new job at the top live without moving the row under the mouse pointer', async () => {
    const { page } = browser;
    const pointed = page.locator('[data-testid="job-row"]').nth(3);
    const box = (await pointed.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const before = (await pointed.boundingBox())!.y;
    const pointedId = await pointed.getAttribute('data-job-id');
    const form = new FormData();
    form.set('file', new Blob([contactsFixture({ rows: 5, seed: 9 }).csv], { type: 'text/csv' }), 'arrived-live.csv');
    const arrived = (await call<Job>(t.stack, '/api/imports', { method: 'POST', body: form })).body;
    await page.locator(`[data-testid="job-row"][data-job-id="${arrived.id}"]`).waitFor();
    expect(await page.locator('[data-testid="job-row"]').first().getAttribute('data-job-id')).toBe(arrived.id);
    // It completes and, the newest job, opens its summary by itself: a much taller change above the pointer.
    await page.locator(`[data-testid="job-summary"][data-job-id="${arrived.id}"]`).waitFor();
    const after = (await page.locator(`[data-testid="job-row"][data-job-id="${pointedId}"]`).boundingBox())!.y;
    expect(Math.abs(after - before)).toBeLessThan(1);
    await page.mouse.move(0, 0);
  });

  it('opens a job by its link, survives a reload of the deep link, and Back returns to the table', async () => {
    const { page } = browser;
    await page.locator(`[data-testid="job-row"][data-job-id="${base.id}"] [data-testid="job-link"]`).click();
    await page.locator(`[data-testid="job-page"][data-job-id="${base.id}"]`).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/jobs/${base.id}`);
    await page.reload();
    await page.locator(`[data-testid="job-page"][data-job-id="${base.id}"][data-status="completed"]`).waitFor();
    expect(await page.getByTestId('job-page-title').textContent()).toBe('customers-march.csv');
    expect(await page.getByTestId('live-percent').textContent()).toBe('100%');
    expect(await page.getByTestId('summary-failed').textContent()).toBe(String(base.failedRows));
    // Counts per code and column, the most frequent first; choosing one narrows the errors table to it.
    const counts = page.getByTestId('error-count');
    await counts.first().waitFor();
    const total = (await counts.evaluateAll((els) => els.map((el) => Number(el.querySelector('.num')?.textContent)))).reduce(
      (a, b) => a + b,
      0,
    );
    expect(total).toBe(base.failedRows);
    const top = counts.first();
    const topCount = Number(await top.locator('.num').textContent());
    await top.click();
    await expect.poll(() => page.locator('[data-testid="errors-table"] tbody tr').count()).toBe(Math.min(topCount, 50));
    const timeline = await page.getByTestId('timeline-entry').evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')));
    expect(timeline).toEqual(['created', 'started', 'finished']);
    await page.evaluate('window.scrollTo(0, 0)'); // clicking a count scrolled to it; the picture shows the page's top
    await shoot('job-light-wide');
    await page.goBack();
    await page.getByTestId('jobs-table').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  });

  it('follows the system theme and switches light and dark with the toggle', async () => {
    const { page } = browser;
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await pageBackground(page);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await pageBackground(page);
    expect(dark).not.toBe(light);
    await shoot('jobs-dark-wide');
    // system → light: light even though the system is dark; → dark; → system again.
    await page.getByTestId('theme-toggle').click();
    expect(await page.getAttribute('html', 'data-theme')).toBe('light');
    expect(await pageBackground(page)).toBe(light);
    await page.getByTestId('theme-toggle').click();
    expect(await pageBackground(page)).toBe(dark);
    // The choice outlives a reload.
    await page.reload();
    await page.getByTestId('jobs-table').waitFor();
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark');
    await page.goto(`${t.stack.url}/jobs/${base.id}`);
    await page.getByTestId('job-page').waitFor();
    await page.getByTestId('error-count').first().waitFor();
    await shoot('job-dark-wide');
    await page.getByTestId('theme-toggle').click();
    expect(await page.getAttribute('html', 'data-theme')).toBeNull();
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('fits a 360 px screen without sideways scrolling, light and dark', async () => {
    const { page } = browser;
    await page.setViewportSize(PHONE);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(t.stack.url);
      await expect.poll(() => page.locator('[data-testid="job-row"]').count()).toBe(50);
      expect(await sidewaysScroll(page)).toBe(0);
      await page.locator('#jobs-title').scrollIntoViewIfNeeded();
      await shoot(`jobs-${scheme}-narrow`);
      await page.goto(`${t.stack.url}/jobs/${base.id}`);
      await page.getByTestId('error-count').first().waitFor();
      expect(await sidewaysScroll(page)).toBe(0);
      await shoot(`job-${scheme}-narrow`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(WIDE);
  });

  it('has no serious or critical accessibility violations (axe-core), light and dark', async () => {
    const { page } = browser;
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(t.stack.url);
      await expect.poll(() => page.locator('[data-testid="job-row"]').count()).toBe(50);
      expect(await seriousViolations(page)).toEqual([]);
      await page.goto(`${t.stack.url}/jobs/${base.id}`);
      await page.getByTestId('error-count').first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('the page logged no errors and every process is still running', async () => {
    expect(browser.problems).toEqual([]);
    await expectStackAlive(t.stack);
  });
});
