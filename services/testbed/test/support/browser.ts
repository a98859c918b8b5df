import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Debian's Chromium, never a downloaded one. */
export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/**
 * What the page said went wrong: uncaught exceptions and console errors, kept for the test to judge. Left out: the
 * 401 of `GET /api/me` that a page asks at start-up to learn whether the browser holds a session (Chromium logs
 * any failed load as an error; this one is the expected "no").
 */
export function watchPageErrors(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (/status of 401/.test(message.text()) && new URL(message.location().url || 'about:blank').pathname === '/api/me') return;
    problems.push(`console.error: ${message.text()}`);
  });
  return problems;
}

/**
 * Records, inside the page, every `data-status` and progress value each job row shows, as the DOM changes: the
 * live updates as a person would have seen them, without sampling on a timer.
 */
// Page-side code is kept as plain JavaScript text: the testbed compiles without the DOM library.
const RECORD_JOB_ROWS = `(() => {
  const seen = {};
  window.__jobRows = seen;
  const look = () => {
    for (const row of document.querySelectorAll('[data-testid="job-row"]')) {
      const id = row.getAttribute('data-job-id') ?? '';
      const entry = (seen[id] ??= { statuses: [], progress: [] });
      const status = row.getAttribute('data-status') ?? '';
      if (entry.statuses.at(-1) !== status) entry.statuses.push(status);
      const value = Number(row.querySelector('[data-testid="job-progress"]')?.getAttribute('data-value') ?? 'NaN');
      if (!Number.isNaN(value) && entry.progress.at(-1) !== value) entry.progress.push(value);
    }
  };
  const watched = { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status', 'data-value'] };
  new MutationObserver(look).observe(document.body, watched);
  look();
})()`;

/**
 * Records, inside the page, every `data-status` and progress value each job row shows, as the DOM changes: the
 * live updates as a person would have seen them, without sampling on a timer.
 */
export async function recordJobRows(page: Page): Promise<void> {
  await page.evaluate(RECORD_JOB_ROWS);
}

export async function recordedJobRow(page: Page, jobId: string): Promise<{ statuses: string[]; progress: number[] }> {
  return page.evaluate(`window.__jobRows[${JSON.stringify(jobId)}] ?? { statuses: [], progress: [] }`);
}

/** Drops a file on an element the way a browser does: dragenter, dragover, drop, with a DataTransfer holding a File. */
export async function dropFile(page: Page, testId: string, file: { name: string; type: string; text: string }): Promise<void> {
  await page.evaluate(`(() => {
    const zone = document.querySelector('[data-testid=${JSON.stringify(testId)}]');
    if (!zone) throw new Error('no ${testId}');
    const transfer = new DataTransfer();
    transfer.items.add(new File([${JSON.stringify(file.text)}], ${JSON.stringify(file.name)}, { type: ${JSON.stringify(file.type)} }));
    for (const kind of ['dragenter', 'dragover', 'drop'])
      zone.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: transfer }));
  })()`);
}

/** One Chromium page for a test file (beforeAll), closed after it; `problems` collects what the page logged as errors. */
export function useBrowserPage(viewport = { width: 1280, height: 900 }): { readonly page: Page; readonly problems: string[] } {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const state: { page?: Page; problems: string[] } = { problems: [] };
  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({ viewport });
    state.page = await context.newPage();
    state.page.setDefaultTimeout(60_000);
    state.problems = watchPageErrors(state.page);
  }, 120_000);
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
  }, 60_000);
  return {
    get page() {
      if (!state.page) throw new Error('the browser page is made in beforeAll: use it inside tests');
      return state.page;
    },
    get problems() {
      return state.problems;
    },
  };
}

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../../..');
/** `npm run screenshots` sets UI_SCREENSHOTS=1: the pictures go to docs/images/ui/ for docs/ui.md; else to /tmp. */
export const SCREENSHOTS_DIR = process.env.UI_SCREENSHOTS === '1' ? join(REPO, 'docs/images/ui') : '/tmp/docprocessor-ui-shots';

/** Saves the page as `<name>.png` in SCREENSHOTS_DIR, without a focus ring (the viewport, or `fullPage`). */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await mkdir(SCREENSHOTS_DIR, { recursive: true });
  await page.evaluate('document.activeElement && document.activeElement.blur()');
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: options.fullPage ?? false, animations: 'disabled' });
}
