import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Role } from '@docprocessor/contracts';
import { createDbClient, createUser, disableUser } from '@docprocessor/db';
import { launchChromium, watchPageErrors } from './support/browser.js';
import { contactsFixture } from './support/contacts.js';
import { call } from './support/http.js';
import { useStack } from './support/use-stack.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '../../..');
/** `npm run screenshots` sets UI_SCREENSHOTS=1: the pictures go to docs/images/ui/ for docs/ui.md; else to /tmp. */
const SHOTS = process.env.UI_SCREENSHOTS === '1' ? join(REPO, 'docs/images/ui') : '/tmp/docprocessor-ui-shots';
const PASSWORD = 'correct horse battery staple';
const PEOPLE: Record<Role, string> = { importer: 'ann@example.com', viewer: 'vic@example.com', admin: 'ada@example.com' };
const FILE = contactsFixture({ rows: 40, seed: 19 });

/**
 * Issue 19 as a new team tries it, in real Chromium: an importer, a viewer and an admin (made with the same
 * function as `npm run users`) each sign in in a browser of their own. The importer uploads; the viewer watches the
 * job arrive live and is shown why it may not cancel it; the admin reverts it and reads who did what, by name, on
 * the job and on the Audit screen. Signing out, and a session ended by the server, return to the sign-in page.
 * No processor runs until the job has been seen pending, so "it is running and the viewer cannot cancel it" is not a race.
 */
describe('people in Chromium: sign-in, roles on the buttons, the audit log and sign-out', { timeout: 240_000 }, () => {
  const t = useStack({ label: 'browser_people', processors: 0 });
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pages = {} as Record<Role, Page>;
  /** What each page logged as errors, collected as it happens. */
  const problems: string[][] = [];
  let jobId = '';

  beforeAll(async () => {
    const db = createDbClient(t.stack.databaseUrl, { max: 1 });
    try {
      for (const [role, email] of Object.entries(PEOPLE) as [Role, string][])
        await createUser(db, { tenantId: 'default', email, role, password: PASSWORD });
    } finally {
      await db.sql.end({ timeout: 5 });
    }
    browser = await launchChromium();
    for (const role of ['importer', 'viewer', 'admin'] as const) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      problems.push(watchPageErrors(page));
      pages[role] = page;
    }
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
  }, 60_000);

  async function shoot(page: Page, name: string): Promise<void> {
    await mkdir(SHOTS, { recursive: true });
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false, animations: 'disabled' });
  }

  async function signIn(page: Page, email: string, password: string): Promise<void> {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  /** A refused sign-in: the page says so and empties the password for the next try. */
  async function refused(page: Page, email: string, password: string): Promise<string> {
    await signIn(page, email, password);
    const notice = page.getByTestId('sign-in-notice');
    await expect.poll(() => notice.textContent()).not.toBe('');
    await expect.poll(() => page.getByLabel('Password').inputValue()).toBe('');
    return (await notice.textContent()) ?? '';
  }

  const row = (page: Page, status: string) => page.locator(`[data-testid="job-row"][data-job-id="${jobId}"][data-status="${status}"]`);

  it('asks each person to sign in, refuses a wrong password without saying more, and shows who is signed in', async () => {
    const { importer, viewer } = pages;
    await importer.goto(t.stack.url);
    await importer.getByTestId('sign-in-page').waitFor();
    expect(await importer.getByTestId('nav-imports').count()).toBe(0);
    await importer.getByTestId('key-form').waitFor(); // API_KEYS is set and NODE_ENV is not production
    await shoot(importer, 'sign-in');

    const wrongPassword = await refused(importer, PEOPLE.importer, 'not the password');
    expect(wrongPassword).toContain('do not match');
    // The same words for an email with no account: nothing says who has one.
    expect(await refused(importer, 'nobody@example.com', 'not the password')).toBe(wrongPassword);

    await signIn(importer, PEOPLE.importer, PASSWORD);
    await importer.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();
    expect(await importer.getByTestId('account-who').textContent()).toBe(PEOPLE.importer);
    expect(await importer.getByTestId('account-role').textContent()).toBe('importer');
    const cookies = await contexts[0]!.cookies();
    expect(cookies.find((c) => c.name === 'dp_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await viewer.goto(t.stack.url);
    await signIn(viewer, PEOPLE.viewer, PASSWORD);
    await viewer.locator('[data-testid="connection-status"][data-state="connected"]').waitFor();
    expect(await viewer.getByTestId('account-role').textContent()).toBe('viewer');
    expect(await viewer.getByTestId('upload-role').textContent()).toBe('Needs the importer role (you are a viewer)');
    expect(await viewer.getByTestId('drop-zone').count()).toBe(0);
    expect(await viewer.getByTestId('nav-audit').count()).toBe(0);
  });

  it('the importer uploads; the viewer sees the job arrive live and may not cancel it, the importer may', async () => {
    const { importer, viewer } = pages;
    await importer.getByTestId('file-input').setInputFiles({ name: 'team-march.csv', mimeType: 'text/csv', buffer: Buffer.from(FILE.csv) });
    await importer.getByTestId('mapping-step').waitFor();
    await importer.getByTestId('mapping-import').click();
    await expect.poll(async () => (await call<{ items: Job[] }>(t.stack, '/api/imports')).body.items.length).toBe(1);
    jobId = (await call<{ items: Job[] }>(t.stack, '/api/imports')).body.items[0]!.id;

    await row(viewer, 'pending').waitFor(); // pushed over the viewer's own socket, authenticated by its cookie
    await row(viewer, 'pending').getByRole('button', { name: 'Summary of team-march.csv' }).click();
    const cancel = viewer.getByTestId('job-cancel');
    expect(await cancel.isDisabled()).toBe(true);
    expect(await cancel.getAttribute('title')).toBe('Needs the importer role (you are a viewer)');
    expect(await viewer.getByTestId('job-cancel-role').textContent()).toBe('Needs the importer role (you are a viewer)');
    await shoot(viewer, 'viewer-job');

    await row(importer, 'pending').getByRole('button', { name: 'Summary of team-march.csv' }).click();
    await importer.locator(`[data-testid="job-summary"][data-job-id="${jobId}"]`).waitFor();
    expect(await importer.getByTestId('job-cancel').isDisabled()).toBe(false);
    expect(await importer.getByTestId('job-cancel-role').count()).toBe(0);

    t.stack.spawn('processor');
    await t.stack.processorsReady();
    await row(viewer, 'completed').waitFor();
    await row(importer, 'completed').waitFor();
    expect(await viewer.getByTestId('job-revert').isDisabled()).toBe(true);
    expect(await viewer.getByTestId('job-revert-role').textContent()).toBe('Needs the admin role (you are a viewer)');
  });

  it('the admin reverts it; the job’s History and the Audit screen say who did what, by name', async () => {
    const { admin, viewer } = pages;
    await admin.goto(`${t.stack.url}/jobs/${jobId}`);
    await signIn(admin, PEOPLE.admin, PASSWORD);
    await admin.getByTestId('job-page-title').waitFor();
    await admin.getByTestId('job-revert').click();
    await admin.getByTestId('revert-yes').click();
    await admin.locator('[data-testid="job-page"][data-status="reverted"]').waitFor();
    await row(viewer, 'reverted').waitFor();

    const history = admin.getByTestId('job-audit-entry');
    await expect.poll(() => history.count()).toBe(2);
    const lines = await history.allTextContents();
    expect(lines[0]).toMatch(new RegExp(`^Reverted by ${PEOPLE.admin} · `));
    expect(lines[1]).toMatch(new RegExp(`^Started by ${PEOPLE.importer} · `));
    await admin.getByTestId('job-audit').scrollIntoViewIfNeeded();
    await shoot(admin, 'job-history');

    await admin.getByTestId('nav-audit').click();
    await admin.getByTestId('audit-table').waitFor();
    const entries = async () =>
      (await admin.getByTestId('audit-row').evaluateAll((rows) =>
        rows.map((r) =>
          [...r.querySelectorAll('td')]
            .slice(1, 3)
            .map((td) => td.textContent ?? '')
            .join(' | '),
        ),
      )) as string[];
    const seen = await entries();
    expect(seen).toContain(`${PEOPLE.admin} | Reverted`);
    expect(seen).toContain(`${PEOPLE.importer} | Started`);
    expect(seen).toContain(`${PEOPLE.viewer} | Signed in`);
    expect(seen).toContain(`${PEOPLE.importer} | Tried to sign in (refused: unauthorized)`);
    expect(seen.filter((entry) => entry === 'the command line | User created')).toHaveLength(3);
    expect(seen.indexOf(`${PEOPLE.admin} | Reverted`)).toBeLessThan(seen.indexOf(`${PEOPLE.importer} | Started`)); // newest first
    await shoot(admin, 'audit');
  });

  it('signing out returns to the sign-in page for good; a session the server ends does too, saying why', async () => {
    const { importer, viewer } = pages;
    await importer.getByTestId('sign-out').click();
    await importer.getByTestId('sign-in-page').waitFor();
    expect(await importer.getByTestId('sign-in-notice').textContent()).toBe('');
    await importer.reload();
    await importer.getByTestId('sign-in-page').waitFor();
    expect((await contexts[0]!.cookies()).find((c) => c.name === 'dp_session')).toBeUndefined();

    const db = createDbClient(t.stack.databaseUrl, { max: 1 });
    try {
      expect(await disableUser(db, PEOPLE.viewer)).toBe(true);
    } finally {
      await db.sql.end({ timeout: 5 });
    }
    await viewer.getByTestId('sign-in-page').waitFor();
    expect(await viewer.getByTestId('sign-in-notice').textContent()).toContain('Your session has ended');
    expect(await viewer.getByTestId('job-row').count()).toBe(0);

    // The refused sign-ins were 401s too: Chromium logs them as failed loads, and nothing else may be.
    const unexpected = problems.flat().filter((p) => !/status of 401/.test(p));
    expect(unexpected).toEqual([]);
  });
});
