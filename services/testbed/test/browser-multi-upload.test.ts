import { describe, expect, it } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { seriousViolations } from './support/axe.js';
import { saveScreenshot, useBrowserPage } from './support/browser.js';
import { expectStackAlive } from './support/checks.js';
import { contactsFixture } from './support/contacts.js';
import { call } from './support/http.js';
import { useStack } from './support/use-stack.js';

const MAX_UPLOAD_BYTES = 1024 * 1024;
const PRODUCTS = 2000;

function productsCsv(rows: number): string {
  const lines = ['sku,name,description,price,quantity,active'];
  for (let i = 1; i <= rows; i++) lines.push(`SKU-${i},Widget ${i},,${i % 100}.50,${i % 40},${i % 3 === 0 ? 'false' : 'true'}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Several files at once in real Chromium: the browser refuses a file of another type and one over the server's
 * limit before sending anything; two files, each with its own template, upload together and complete; the
 * completed job's page draws its throughput (measured while the page watched it run, the average after a reload).
 */
describe('the UI in Chromium uploads several files at once and draws a job’s throughput', { timeout: 180_000 }, () => {
  const t = useStack({ label: 'browser_multi', env: { PROCESSOR_BATCH_ROWS: '250', MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES) } });
  const browser = useBrowserPage();
  /** Every upload or preview the page sent. */
  const sent: string[] = [];
  const jobIds = new Map<string, string>();

  it('refuses in the browser a file of another type and one over the server’s limit, sending nothing', async () => {
    const { page } = browser;
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/api\/(imports|previews)$/.test(new URL(request.url()).pathname)) sent.push(request.url());
    });
    await page.goto(t.stack.url);
    await page.getByTestId('api-key-input').fill(t.stack.apiKey);
    await page.getByTestId('api-key-submit').click();
    await page.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();
    // The limit comes from GET /api/health.
    await expect.poll(() => page.getByTestId('accepted-files').textContent()).toContain('up to 1.0 MB each');

    await page.getByTestId('file-input').setInputFiles([
      { name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n') },
      { name: 'huge.csv', mimeType: 'text/csv', buffer: Buffer.alloc(MAX_UPLOAD_BYTES + 1, 0x61) },
    ]);
    const refusal = (name: string) => page.locator(`[data-testid="upload-item"][data-file="${name}"] [data-testid="upload-error"]`);
    await refusal('invoice.pdf').waitFor();
    expect(await refusal('invoice.pdf').getAttribute('data-code')).toBe('unsupported_media_type');
    expect(await refusal('invoice.pdf').textContent()).toBe(
      'invoice.pdf is not a table file: choose a .csv, .tsv or .txt file (also gzip-compressed, .csv.gz), or an .xlsx workbook.',
    );
    expect(await refusal('huge.csv').getAttribute('data-code')).toBe('payload_too_large');
    expect(await refusal('huge.csv').textContent()).toBe('huge.csv is 1,048,577 bytes, over the server’s limit of 1,048,576 bytes.');
    expect(await page.getByTestId('mapping-step').count()).toBe(0);
    await page.getByTestId('uploads-clear').click();
    expect(await page.getByTestId('upload-item').count()).toBe(0);
    expect(sent).toEqual([]);
  });

  it('uploads two files at once, each with its own template, and both complete', async () => {
    const { page } = browser;
    const people = contactsFixture({ rows: 9000, seed: 5 }); // under the 1 MiB limit, long enough for a few progress events
    await page.getByTestId('file-input').setInputFiles([
      { name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(people.csv) },
      { name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(productsCsv(PRODUCTS)) },
    ]);
    // The first file's columns are checked; the second waits in its row, where it gets the products template.
    await page.locator('[data-testid="mapping-step"][data-file="people.csv"]').waitFor();
    await page.locator('[data-testid="staged-item"][data-file="stock.csv"] [data-testid="staged-template"]').selectOption('products');
    await expect.poll(() => page.locator('[data-testid="mapping-header"][data-state="matched"]').count()).toBe(10);
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreenshot(page, 'upload-light-wide', { fullPage: true });
    await page.getByTestId('mapping-import').click();

    await page.locator('[data-testid="mapping-step"][data-file="stock.csv"]').waitFor();
    expect(await page.getByTestId('mapping-template').inputValue()).toBe('products');
    await expect.poll(() => page.locator('[data-testid="mapping-header"][data-state="matched"]').count()).toBe(6);
    await page.getByTestId('mapping-import').click();

    // Each row ends with a link to its own import; both imports complete.
    for (const name of ['people.csv', 'stock.csv']) {
      const link = page.locator(`[data-testid="upload-item"][data-file="${name}"] [data-testid="upload-job-link"]`);
      await link.waitFor();
      const id = (await link.getAttribute('href'))!.replace('/jobs/', '');
      jobIds.set(name, id);
      await page.locator(`[data-testid="job-row"][data-job-id="${id}"][data-status="completed"]`).waitFor();
    }
    expect(sent.filter((url) => url.endsWith('/api/imports'))).toHaveLength(2);
    const jobs = await Promise.all([...jobIds.values()].map(async (id) => (await call<Job>(t.stack, `/api/imports/${id}`)).body));
    expect(jobs.map((j) => [j.filename, j.template, j.status, j.processedRows, j.failedRows])).toEqual([
      ['people.csv', 'contacts', 'completed', people.rows, 0],
      ['stock.csv', 'products', 'completed', PRODUCTS, 0],
    ]);
  });

  it('draws the throughput on a completed job’s page: measured while it ran, the average after a reload', async () => {
    const { page } = browser;
    const id = jobIds.get('people.csv')!;
    await page.locator(`[data-testid="upload-item"][data-file="people.csv"] [data-testid="upload-job-link"]`).click();
    await page.locator(`[data-testid="job-page"][data-job-id="${id}"][data-status="completed"]`).waitFor();
    const chart = page.getByTestId('throughput-chart');
    expect(await chart.getAttribute('data-kind')).toBe('measured');
    const plot = chart.getByRole('img');
    expect(await plot.isVisible()).toBe(true);
    expect(await plot.getAttribute('aria-label')).toMatch(/^Rows per second over .+: peak [\d,]+ rows\/s, average [\d,]+ rows\/s$/);
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreenshot(page, 'job-chart-light-wide');

    // A reload forgets the events seen: the page has only the job record, so it draws the run's average.
    await page.reload();
    await page.locator(`[data-testid="job-page"][data-job-id="${id}"]`).waitFor();
    await page.locator('[data-testid="throughput-chart"][data-kind="average"]').waitFor();
    expect(await page.getByTestId('throughput-chart').getByRole('img').getAttribute('aria-label')).toMatch(
      /^Average [\d,]+ rows\/s over .+; the rate over time was not recorded$/,
    );
  });

  it('the page logged no errors and every process is still running', async () => {
    expect(browser.problems).toEqual([]);
    await expectStackAlive(t.stack);
  });
});
