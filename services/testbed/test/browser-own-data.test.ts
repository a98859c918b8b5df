import { describe, expect, it } from 'vitest';
import type { Job, Template } from '@docprocessor/contracts';
import { useBrowserPage } from './support/browser.js';
import { call } from './support/http.js';
import { useStack } from './support/use-stack.js';

const SCREENSHOTS = '/tmp/docprocessor-own-data';

/**
 * A person brings their own file in real Chromium: makes a template from a sample on the Templates screen, opens it
 * by its link, then uploads an export whose headers differ, fixes the mapping, checks it with a dry run and imports it.
 */
describe('the UI in Chromium: a template from a sample file, the mapping step, a dry run and its commit', { timeout: 180_000 }, () => {
  const t = useStack({ label: 'browser_own_data' });
  const browser = useBrowserPage();

  const SAMPLE = 'Member ID;Name;Joined;Balance\n1;Ada;21/02/2020;10.50\n2;Bob;03/04/2021;7\n3;Cy;30/04/2022;\n';

  it('makes a template from a sample file, which then opens by its own link', async () => {
    const { page } = browser;
    await page.goto(`${t.stack.url}/templates`);
    await page.getByTestId('api-key-input').fill(t.stack.apiKey);
    await page.getByTestId('api-key-submit').click();
    await page.getByTestId('template-new-sample').click();
    await page.getByTestId('sample-file-input').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(SAMPLE) });
    await page.getByTestId('template-form').waitFor();
    expect(await page.getByTestId('template-name').inputValue()).toBe('members');
    await page.locator('[data-testid="column-editor"][data-column="member_id"] [data-testid="column-key"]').check();
    await page.screenshot({ path: `${SCREENSHOTS}-new-template.png`, fullPage: true });
    await page.getByTestId('template-submit').click();
    await page.locator('[data-testid="template-view"][data-template="members"]').waitFor();

    const template = (await call<Template>(t.stack, '/api/templates/members')).body;
    expect(template).toMatchObject({ key: ['member_id'], table: 'tenant_default.members', managed: true });
    expect(template.columns.map((c) => [c.name, c.type, c.required])).toEqual([
      ['member_id', 'integer', true],
      ['name', 'string', true],
      ['joined', 'date', true],
      ['balance', 'decimal', false],
    ]);
    await page.reload();
    await page.locator('[data-testid="template-view"][data-template="members"]').waitFor();
    expect(await page.locator('[data-testid="template-column"]').count()).toBe(4);
    await page.screenshot({ path: `${SCREENSHOTS}-template.png`, fullPage: true });
  });

  it('maps an export with other headers, checks it with a dry run, and imports it for real', async () => {
    const { page } = browser;
    await page.getByTestId('nav-imports').click();
    await page.getByTestId('template-select').selectOption('members');
    const file = 'ID;Name;Joined;Balance\n7;Dee;01/01/2023;1\n8;Eve;29/02/2023;2\n9;Fay;02/02/2023;3.5\n';
    await page.getByTestId('file-input').setInputFiles({ name: 'export.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
    await page.getByTestId('mapping-step').waitFor();
    // "ID" is not member_id by name: the step says so and the person picks it.
    const idHeader = page.locator('[data-testid="mapping-header"][data-header="ID"]');
    await expect.poll(() => idHeader.getAttribute('data-state')).not.toBe('matched');
    await idHeader.getByTestId('mapping-select').selectOption('member_id');
    await expect.poll(() => idHeader.getAttribute('data-state')).toBe('chosen');
    await page.screenshot({ path: `${SCREENSHOTS}-mapping.png`, fullPage: true });
    await page.getByTestId('mapping-dry-run').click();

    const plan = page.getByTestId('summary-plan');
    await plan.waitFor();
    expect(await page.getByTestId('plan-insert').textContent()).toMatch(/^2\b/);
    const dryRun = (await call<{ items: Job[] }>(t.stack, '/api/imports')).body.items[0]!;
    expect(dryRun).toMatchObject({
      dryRun: true,
      status: 'completed',
      plan: { insert: 2, update: 0, unchanged: 0 },
      failedRows: 1,
      mapping: { ID: 'member_id' },
    });
    expect(await t.sql.unsafe('select count(*)::int as n from tenant_default.members')).toEqual([{ n: 0 }]);
    await page.screenshot({ path: `${SCREENSHOTS}-dry-run.png`, fullPage: true });

    await page.getByTestId('job-commit').click();
    await expect
      .poll(async () => (await call<{ items: Job[] }>(t.stack, '/api/imports')).body.items.find((j) => j.dryRunOf === dryRun.id)?.status)
      .toBe('completed');
    expect(await t.sql.unsafe('select member_id::int, name, joined::text from tenant_default.members order by 1')).toEqual([
      { member_id: 7, name: 'Dee', joined: '2023-01-01' },
      { member_id: 9, name: 'Fay', joined: '2023-02-02' },
    ]);
    expect(browser.problems).toEqual([]);
  });
});
