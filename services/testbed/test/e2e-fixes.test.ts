import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { ImportEvent, Job, Template, TemplateColumnInput } from '@docprocessor/contracts';
import { workbookBytes } from '@docprocessor/workbook/testing';
import { call, errorCodeOf, finalJob, uploadJob, type Answer } from './support/http.js';
import { useStack } from './support/use-stack.js';
import { eventually } from './support/wait.js';

/**
 * Fix and resubmit through the whole product: a file with one failing row per rule is imported, its errors.csv
 * downloaded, corrected as a program (or a person in a spreadsheet) would, and uploaded as a fix into the same job;
 * the job ends with no failed rows and its table equals a clean import of the corrected file.
 */
const t = useStack({ label: 'fixes', natsLog: true });

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const csvCell = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
const csvText = (rows: readonly (readonly string[])[]) => `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;

/** A rule broken in one row: the column, the breaking value, and the value that fixes it. */
type Break = [column: string, bad: string, good: string];

/** A file of `valid` rows, then one row per break; `rowOf` makes row n from overrides. */
function fileWith(
  header: string[],
  rowOf: (n: number, overrides: Record<string, string>) => string[],
  breaks: readonly Break[],
  valid = 3,
) {
  const rows = Array.from({ length: valid }, (_, i) => rowOf(i + 1, {}));
  const fixes = new Map<number, Record<string, string>>();
  breaks.forEach(([column, bad, good], i) => {
    const n = valid + i + 1;
    rows.push(rowOf(n, { [column]: bad }));
    fixes.set(n, { [column]: good });
  });
  const corrected = rows.map((row, i) => (fixes.has(i + 1) ? rowOf(i + 1, fixes.get(i + 1)!) : row));
  return { text: csvText([header, ...rows]), corrected: csvText([header, ...corrected]), fixes, header };
}

async function errorsCsv(jobId: string): Promise<string[][]> {
  const answer = await call<string>(t.stack, `/api/imports/${jobId}/errors.csv`);
  expect(answer.status).toBe(200);
  return parse(answer.text, { bom: true, relax_column_count: true }) as string[][];
}

/** errors.csv corrected as a program would: each named row's cells set, the rest (and _row, _errors) as they were. */
function corrected(errors: string[][], header: string[], fixes: ReadonlyMap<number, Record<string, string>>): string {
  const rowAt = errors[0]!.indexOf('_row');
  const lines = errors.slice(1).map((line) => {
    const fix = fixes.get(Number(line[rowAt]))!;
    return line.map((cell, i) => (i < header.length && header[i]! in fix ? fix[header[i]!]! : cell));
  });
  return csvText([errors[0]!, ...lines]);
}

async function postFix(jobId: string, content: string | Uint8Array, filename = 'errors-fixed.csv'): Promise<Answer<Job>> {
  const form = new FormData();
  form.append('file', new Blob([typeof content === 'string' ? new TextEncoder().encode(content) : content]), filename);
  return call<Job>(t.stack, `/api/imports/${jobId}/fixes`, { method: 'POST', body: form });
}

/** The `progress` event on NATS that shows fix number `n` of the job ended. */
const fixEnded = (jobId: string, n: number): Promise<ImportEvent> =>
  eventually(
    () => t.nats.eventsOf(jobId).find((e) => e.type === 'progress' && ['completed', 'failed'].includes(e.job.fixes[n]?.status ?? '')),
    `fix ${n} of ${jobId} to end`,
    60_000,
    20,
  );

const tableRows = (table: string, columns: string[]) =>
  t.sql.unsafe(`select ${columns.map((c) => `${c}::text`).join(', ')} from ${table} order by 1`);

/** Every type and rule of a user template. */
const EVERYTHING: TemplateColumnInput[] = [
  { name: 'id', type: 'integer', required: true, min: 1, max: 1000 },
  { name: 'label', type: 'string', required: true, minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
  { name: 'price', type: 'decimal', required: false, min: 0, max: 100, maxDecimals: 2 },
  { name: 'paid', type: 'boolean', required: false },
  { name: 'born', type: 'date', required: false, formats: ['DD/MM/YYYY', 'YYYY-MM-DD'] },
  { name: 'seen', type: 'timestamp', required: false, formats: ['ISO'] },
  { name: 'mail', type: 'email', required: false, maxLength: 20 },
  { name: 'ref', type: 'uuid', required: false },
  { name: 'tier', type: 'enum', required: false, values: ['gold', 'silver'] },
  { name: 'land', type: 'country', required: false },
];
const EVERYTHING_BREAKS: Break[] = [
  ['label', 'a', 'ab'],
  ['label', 'abcdef', 'abcde'],
  ['label', 'ab1', 'abc'],
  ['label', '', 'xy'],
  ['price', '100.5', '100'],
  ['price', '1.234', '1.23'],
  ['price', '-1', '0'],
  ['paid', 'maybe', 'no'],
  ['born', '29/02/2023', '28/02/2023'],
  ['seen', '2024-13-01T00:00:00Z', '2024-12-01T00:00:00Z'],
  ['mail', 'not-an-email', 'a@b.co'],
  ['mail', 'a-very-long-name@example.com', 'short@example.com'],
  ['ref', '1234', '0A1B2C3D-E5F6-4A7B-8C9D-0E1F2A3B4C5D'],
  ['tier', 'bronze', 'silver'],
  ['land', 'XX', 'fr'],
  ['id', '=1+1', ''],
];
const everythingRow = (n: number, o: Record<string, string>) => [
  o.id ?? String(n),
  o.label ?? 'abc',
  o.price ?? '12.50',
  o.paid ?? 'yes',
  o.born ?? '31/12/1999',
  o.seen ?? '2024-02-29T23:30:00Z',
  o.mail ?? `m${n}@b.co`,
  o.ref ?? 'A1B2C3D4-E5F6-4A7B-8C9D-0E1F2A3B4C5D',
  o.tier ?? 'gold',
  o.land ?? 'nz',
];

const CONTACTS_HEADER = ['id', 'email', 'first_name', 'last_name', 'company', 'country', 'signup_date', 'amount', 'active', 'notes'];
const CONTACTS_BREAKS: Break[] = [
  ['id', 'x1', ''],
  ['id', '0', ''],
  ['email', 'not-an-email', 'fixed@example.com'],
  ['email', '=HYPERLINK("http://evil.example","x")', 'safe@example.com'],
  ['first_name', '', 'Grace'],
  ['last_name', 'x'.repeat(101), 'Hopper'],
  ['company', 'c'.repeat(201), 'Navy'],
  ['country', 'XX', 'us'],
  ['signup_date', '2024-02-30', '2024-02-29'],
  ['amount', '-4.5', '4.5'],
  ['amount', '1.234', '1.23'],
  ['active', 'perhaps', 'no'],
  ['notes', 'n'.repeat(2001), 'short'],
  ['id', '2', ''],
];
const contactRow = (n: number, o: Record<string, string>) => [
  o.id ?? String(n),
  o.email ?? `p${n}@example.com`,
  o.first_name ?? 'Ada',
  o.last_name ?? 'Lovelace',
  o.company ?? '',
  o.country ?? 'GB',
  o.signup_date ?? '2024-01-31',
  o.amount ?? '12.50',
  o.active ?? 'true',
  o.notes ?? '',
];
// An id break is fixed by the row's own number: `''` above stands for it.
const fixedIds = (breaks: Break[], valid: number): Break[] =>
  breaks.map(([c, bad, good], i) => [c, bad, c === 'id' ? String(valid + i + 1) : good]);

async function roundTrip(template: string, clean: string, columns: string[], file: ReturnType<typeof fileWith>): Promise<void> {
  const job = await uploadJob(t.stack, file.text, { fields: { template }, filename: 'mine.csv' });
  const imported = await finalJob(t.stack, job.id);
  const total = file.fixes.size + 3;
  expect(imported).toMatchObject({ status: 'completed', totalRows: total, failedRows: file.fixes.size });

  const errors = await errorsCsv(job.id);
  expect(errors[0]).toEqual([...file.header, '_row', '_errors']);
  expect(errors.slice(1).map((line) => Number(line[file.header.length]))).toEqual([...file.fixes.keys()]);
  for (const line of errors) for (const cell of line) expect(cell, 'no cell opens as a formula').not.toMatch(/^[=+\-@]/);

  const fix = await postFix(job.id, corrected(errors, file.header, file.fixes));
  expect(fix.status, fix.text).toBe(202);
  expect(fix.body.fixes).toEqual([expect.objectContaining({ status: 'pending', filename: 'errors-fixed.csv' })]);
  const ended = await fixEnded(job.id, 0);
  expect(ended.job).toMatchObject({ status: 'completed', failedRows: 0, successRows: total, processedRows: total, totalRows: total });
  expect(ended.job.fixes[0]).toMatchObject({ status: 'completed', rows: file.fixes.size, fixed: file.fixes.size, stillFailing: 0 });
  expect((await call<{ total: number }>(t.stack, `/api/imports/${job.id}/errors`)).body.total).toBe(0);

  const cleanJob = await uploadJob(t.stack, file.corrected, { fields: { template: clean } });
  expect(await finalJob(t.stack, cleanJob.id)).toMatchObject({ status: 'completed', successRows: total, failedRows: 0 });
  const [fixedTable, cleanTable] = await Promise.all([
    call<Template>(t.stack, `/api/templates/${template}`),
    call<Template>(t.stack, `/api/templates/${clean}`),
  ]);
  const fixedRows = await tableRows(fixedTable.body.table, columns);
  expect(fixedRows).toHaveLength(total);
  expect(fixedRows).toEqual(await tableRows(cleanTable.body.table, columns));
}

describe('fix and resubmit', () => {
  it('a user template with every type and rule: errors.csv fixed and uploaded equals a clean import of the corrected file', async () => {
    for (const name of ['everything', 'everything_clean'])
      expect((await call(t.stack, '/api/templates', json({ name, key: ['id'], columns: EVERYTHING }))).status).toBe(201);
    const header = EVERYTHING.map((c) => c.name);
    await roundTrip('everything', 'everything_clean', header, fileWith(header, everythingRow, fixedIds(EVERYTHING_BREAKS, 3)));
  });

  it('the built-in contacts template, duplicate key and formula-looking cells included', async () => {
    const contacts = (await call<Template>(t.stack, '/api/templates/contacts')).body;
    const copy = { name: 'contacts_clean', key: contacts.key, keyCaseInsensitive: contacts.keyCaseInsensitive, columns: contacts.columns };
    const made = await call(t.stack, '/api/templates', json(copy));
    expect(made.status, made.text).toBe(201);
    await roundTrip('contacts', 'contacts_clean', CONTACTS_HEADER, fileWith(CONTACTS_HEADER, contactRow, fixedIds(CONTACTS_BREAKS, 3)));
  });

  it('a row still wrong keeps failing with its new error; a wrong header or row is a 400; an .xlsx fix finishes the job', async () => {
    const header = ['sku', 'name', 'price', 'quantity', 'active'];
    const job = await uploadJob(
      t.stack,
      csvText([header, ['A-1', 'One', '1', '1', 'yes'], ['B 2', 'Two', '2', '2', 'yes'], ['C-3', 'Three', '-3', '3', 'no']]),
      {
        fields: { template: 'products' },
      },
    );
    expect(await finalJob(t.stack, job.id)).toMatchObject({ failedRows: 2, successRows: 1 });

    const wrongHeader = await postFix(
      job.id,
      csvText([
        ['sku', 'title', 'price', 'quantity', 'active', '_row'],
        ['B-2', 'Two', '2', '2', 'yes', '2'],
      ]),
    );
    expect(wrongHeader.status).toBe(400);
    expect(errorCodeOf(wrongHeader)).toBe('invalid_fix');
    expect((wrongHeader.body as unknown as { error: { message: string } }).error.message).toMatch(/"name".*"title"/);
    const neverFailed = await postFix(
      job.id,
      csvText([
        [...header, '_row'],
        ['A-1', 'One', '1', '1', 'yes', '1'],
      ]),
    );
    expect(neverFailed.status).toBe(400);
    expect((neverFailed.body as unknown as { error: { message: string } }).error.message).toContain('row 1,');

    // Row 2 fixed, row 3 wrong in a new way.
    expect(
      (
        await postFix(
          job.id,
          csvText([
            [...header, '_row'],
            ['B-2', 'Two', '2', '2', 'yes', '2'],
            ['C-3', 'Three', '3', 'lots', 'no', '3'],
          ]),
        )
      ).status,
    ).toBe(202);
    expect((await fixEnded(job.id, 0)).job).toMatchObject({
      failedRows: 1,
      successRows: 2,
      fixes: [expect.objectContaining({ fixed: 1, stillFailing: 1 })],
    });
    const errors = await call<{ items: Array<{ row: number; column: string; code: string }> }>(t.stack, `/api/imports/${job.id}/errors`);
    expect(errors.body.items.map((e) => [e.row, e.column, e.code])).toEqual([[3, 'quantity', 'invalid_integer']]);
    expect((await errorsCsv(job.id))[1]).toEqual(['C-3', 'Three', '3', 'lots', 'no', '3', expect.stringContaining('quantity: ')]);

    const xlsx = await workbookBytes([
      {
        name: 'fixed',
        rows: [
          [...header, '_row', '_errors'],
          ['C-3', 'Three', 3, 3, 'no', 3, 'quantity: was wrong'],
        ],
      },
    ]);
    expect((await postFix(job.id, xlsx, 'fixed.xlsx')).status).toBe(202);
    expect((await fixEnded(job.id, 1)).job).toMatchObject({ status: 'completed', failedRows: 0, successRows: 3 });
    expect(
      await t.sql`select sku, price::float8 as price, quantity::int as quantity from products where import_job_id = ${job.id} order by sku`,
    ).toEqual([
      { sku: 'A-1', price: 1, quantity: 1 },
      { sku: 'B-2', price: 2, quantity: 2 },
      { sku: 'C-3', price: 3, quantity: 3 },
    ]);
  });
});
