import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { HEADER, row, useBadInputStack } from './support/bad-input-stack.js';
import { expectStackAlive } from './support/checks.js';
import { contactsFixture } from './support/contacts.js';
import { call, errorCodeOf, uploadBytes } from './support/http.js';

/**
 * Files that are not what the template expects, or not well-formed CSV, in every encoding and dialect people
 * send: each ends in a clear answer (row errors, or a failed job with a stable code and row), never a 5xx.
 * Bad requests are in e2e-bad-input.test.ts.
 */
describe('bad CSV of every kind gets a clear answer and leaves every process running', { timeout: 150_000 }, () => {
  const t = useBadInputStack('e2e_bad_csv');

  it('fails a file without the required columns (validation, missing_columns) before any row is written', async () => {
    const wrong = await t.importFile('id,email,name\n1,a@example.com,Ada\n', { filename: 'wrong-header.csv' });
    expect(wrong).toMatchObject({
      status: 'failed',
      processedRows: 0,
      successRows: 0,
      error: { kind: 'validation', code: 'missing_columns' },
    });
    for (const column of ['first_name', 'last_name', 'country', 'signup_date', 'amount', 'active'])
      expect(wrong.error!.message).toContain(column);
    expect(await t.tableRows(wrong.id)).toBe(0);

    const unrelated = await t.importFile('foo,bar,baz\n1,2,3\n4,5,6\n', { filename: 'unrelated.csv' });
    expect(unrelated.error).toMatchObject({ kind: 'validation', code: 'missing_columns' });

    // products columns under the contacts template: the same clear answer.
    const products = await t.importFile('sku,name,price,quantity,active\nA-1,Thing,1.00,3,yes\n', { filename: 'products.csv' });
    expect(products.error).toMatchObject({ kind: 'validation', code: 'missing_columns' });

    // A template column named twice is a broken header, not a guess.
    const twice = await t.importFile(`${HEADER},email\n${row(1)},x@example.com\n`, { filename: 'twice.csv' });
    expect(twice).toMatchObject({ status: 'failed', error: { kind: 'validation', code: 'invalid_header' } });

    const tooWide = await t.importFile(`${HEADER},${Array.from({ length: 60 }, (_, i) => `extra${i}`).join(',')}\n${row(1)}\n`, {
      filename: 'wide.csv',
    });
    expect(tooWide).toMatchObject({ status: 'failed', error: { kind: 'validation', code: 'too_many_columns' } });

    // Nothing but line breaks or blanks: no header line at all.
    for (const content of ['\n\n\n', '\r\n\r\n', '   \n']) {
      const answer = await uploadBytes(t.stack, content, { filename: 'blank.csv' });
      expect(answer.status, `${JSON.stringify(content)}: ${answer.text}`).toBeLessThan(500);
      if (answer.status === 202) {
        await t.nats.waitForTerminal(answer.body.id);
        const job = (await call<Job>(t.stack, `/api/imports/${answer.body.id}`)).body;
        expect(job, JSON.stringify(content)).toMatchObject({ status: 'failed', error: { kind: 'validation' } });
        expect(['invalid_header', 'missing_columns']).toContain(job.error!.code);
      } else {
        expect(answer.status).toBe(400);
        expect(errorCodeOf(answer)).toBeDefined();
      }
    }
  });

  it('a header-only file completes with 0 rows; headers match in any case, trimmed, after a BOM; extras are reported', async () => {
    const headerOnly = await t.importFile(`${HEADER}\n`, { filename: 'header-only.csv' });
    expect(headerOnly).toMatchObject({ status: 'completed', totalRows: 0, processedRows: 0, successRows: 0, failedRows: 0, error: null });
    const noNewline = await t.importFile(HEADER, { filename: 'header-no-newline.csv' });
    expect(noNewline).toMatchObject({ status: 'completed', totalRows: 0 });

    const messyHeader = '\uFEFF ID ,EMAIL,First_Name,last_name , Company,COUNTRY,signup_date,amount,Active,notes,Favourite Colour';
    const messy = `${messyHeader}\r\n${row(101)},blue\r\n${row(102)},green\r\n`;
    const job = await t.importFile(messy, { filename: 'messy-header.csv' });
    expect(job).toMatchObject({
      status: 'completed',
      processedRows: 2,
      successRows: 2,
      failedRows: 0,
      ignoredColumns: ['Favourite Colour'],
    });
    expect(await t.tableRows(job.id)).toBe(2);
  });

  it('broken quoting fails the job with a stable code and the row where it broke', async () => {
    const lines = [HEADER, row(201), row(202), `203,"p203@example.com,Ada,Lovelace,ACME,GB,2020-01-01,1,true,`, row(204), row(205)];
    const unterminated = await t.importFile(`${lines.join('\n')}\n`, { filename: 'unterminated.csv' });
    expect(unterminated).toMatchObject({ status: 'failed', error: { kind: 'validation', code: 'unterminated_quote', row: 3 } });
    expect(unterminated.error!.message).toMatch(/row 3/);
    expect(await t.tableRows(unterminated.id)).toBe(unterminated.successRows);

    // csv-parse runs with relax_quotes, so a closing quote followed by text is read literally: the cell keeps the
    // quote and the row fails its rule at row 2 (the README's malformed_csv for this case is never produced).
    const closing = [HEADER, row(211), `212,"p212@example.com"x,Ada,Lovelace,ACME,GB,2020-01-01,1,true,`, row(213)];
    const badClosing = await t.importFile(`${closing.join('\n')}\n`, { filename: 'bad-closing-quote.csv' });
    expect(badClosing).toMatchObject({ status: 'completed', processedRows: 3, successRows: 2, failedRows: 1 });
    const closingErrors = (
      await call<{ items: Array<{ row: number; column: string | null; value: string | null; code: string }> }>(
        t.stack,
        `/api/imports/${badClosing.id}/errors`,
      )
    ).body.items;
    expect(closingErrors).toMatchObject([{ row: 2, column: 'email', code: 'invalid_email' }]);
    expect(closingErrors[0]!.value).toContain('p212@example.com');
    expect(await t.tableRows(badClosing.id)).toBe(2);

    // A stray quote inside an unquoted field is read literally (and here makes the email invalid): a row error, not a failure.
    const stray = await t.importFile(`${[HEADER, row(221), `222,p2"22@example.com,Ada,Lovelace,,GB,2020-01-01,1,true,`].join('\n')}\n`, {
      filename: 'stray.csv',
    });
    expect(stray).toMatchObject({ status: 'completed', successRows: 1, failedRows: 1 });

    const huge = await t.importFile(`${[HEADER, row(231), row(232, 'Ada', 'x'.repeat(5000)), row(233)].join('\n')}\n`, {
      filename: 'huge-row.csv',
    });
    expect(huge).toMatchObject({ status: 'failed', error: { kind: 'validation', code: 'field_too_large', row: 2 } });
    await expectStackAlive(t.stack);
  });

  it('ragged rows are row errors (column_count) and the import goes on; trailing empty fields are tolerated', async () => {
    const lines = [
      HEADER,
      row(301),
      '302,p302@example.com,Ada,Lovelace,ACME,GB,2020-01-01,1', // too few
      `${row(303)},surplus`, // too many, not empty
      `${row(304)},,`, // trailing empties: fine
      row(305),
    ];
    const job = await t.importFile(`${lines.join('\r\n')}\r\n`, { filename: 'ragged.csv' });
    expect(job).toMatchObject({ status: 'completed', processedRows: 5, successRows: 3, failedRows: 2 });
    const errors = (await call<{ items: Array<{ row: number; code: string }>; total: number }>(t.stack, `/api/imports/${job.id}/errors`))
      .body;
    expect(errors.total).toBe(2);
    expect(errors.items.map((e) => [e.row, e.code])).toEqual([
      [2, 'column_count'],
      [3, 'column_count'],
    ]);
    const ids = (await t.sql`select id::int as id from contacts where import_job_id = ${job.id} order by id`).map((r) => r.id);
    expect(ids).toEqual([301, 304, 305]);
  });

  it('decodes Windows-1252, UTF-16 LE/BE with BOM, and UTF-8 with BOM; invalid UTF-8 later in a file is a row error', async () => {
    const text = [
      HEADER,
      '401,renee@example.com,Renée,Müller,Café Crème,FR,2021-03-04,9.99,yes,costs 5€ – “quoted”',
      '402,zoe@example.com,Zoë,Ångström,,se,2021-03-05,0,no,',
      '',
    ].join('\n');
    const cp1252 = Buffer.from(text.replace('€', '\u0080').replace('–', '\u0096').replace('“', '\u0093').replace('”', '\u0094'), 'latin1');
    expect(cp1252.includes(0xe9)).toBe(true); // é as one byte, as Excel on Windows writes it
    const w = await t.importFile(cp1252, { filename: 'windows-1252.csv' });
    expect(w).toMatchObject({ status: 'completed', encoding: 'windows-1252', successRows: 2, failedRows: 0 });
    const rows =
      await t.sql`select id::int as id, first_name, last_name, company, notes from contacts where import_job_id = ${w.id} order by id`;
    expect(rows.map((r) => ({ ...r }))).toEqual([
      { id: 401, first_name: 'Renée', last_name: 'Müller', company: 'Café Crème', notes: 'costs 5€ – “quoted”' },
      { id: 402, first_name: 'Zoë', last_name: 'Ångström', company: null, notes: null },
    ]);

    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replaceAll('40', '41'), 'utf16le')]);
    const le = await t.importFile(utf16le, { filename: 'utf16le.csv' });
    expect(le).toMatchObject({ status: 'completed', encoding: 'utf-16le', successRows: 2 });
    const leBody = Buffer.from(text.replaceAll('40', '42'), 'utf16le');
    const utf16be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(leBody).swap16()]);
    const be = await t.importFile(utf16be, { filename: 'utf16be.csv' });
    expect(be).toMatchObject({ status: 'completed', encoding: 'utf-16be', successRows: 2 });
    const bom = await t.importFile(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replaceAll('40', '43'))]), {
      filename: 'utf8-bom.csv',
    });
    expect(bom).toMatchObject({ status: 'completed', encoding: 'utf-8', successRows: 2 });
    const names = await t.sql`select id::int as id, first_name, notes from contacts where id in (411, 421, 431) order by id`;
    expect(names.map((r) => [r.id, r.first_name, r.notes])).toEqual([
      [411, 'Renée', 'costs 5€ – “quoted”'],
      [421, 'Renée', 'costs 5€ – “quoted”'],
      [431, 'Renée', 'costs 5€ – “quoted”'],
    ]);

    // Valid UTF-8 for the first 8 KiB (so it is detected as UTF-8), then one row with a broken byte.
    const head = `${[HEADER, ...Array.from({ length: 150 }, (_, i) => row(1000 + i, 'José'))].join('\n')}\n`;
    expect(Buffer.byteLength(head)).toBeGreaterThan(8192);
    const broken = Buffer.concat([
      Buffer.from(head),
      Buffer.from('1150,bad@example.com,Ren'),
      Buffer.from([0xe9]),
      Buffer.from(`e,X,,GB,2020-01-01,1,true,\n${row(1151)}\n`),
    ]);
    const mixed = await t.importFile(broken, { filename: 'broken-utf8.csv' });
    expect(mixed).toMatchObject({ status: 'completed', encoding: 'utf-8', processedRows: 152, successRows: 151, failedRows: 1 });
    const errors = (await call<{ items: Array<{ row: number; code: string }> }>(t.stack, `/api/imports/${mixed.id}/errors`)).body.items;
    expect(errors.map((e) => [e.row, e.code])).toEqual([[151, 'invalid_encoding']]);
    const stored = await t.sql`select count(*)::int as n from contacts where import_job_id = ${mixed.id} and first_name like '%\uFFFD%'`;
    expect(stored[0]!.n, 'no replacement characters in the table').toBe(0);
  });

  it('reads semicolon-, tab- and pipe-delimited files and gzip-compressed CSV', async () => {
    const semicolon = `${[
      HEADER.replaceAll(',', ';'),
      '501;s501@example.com;Ada;Lovelace;Stark, Inc.;GB;2020-01-01;1.5;true;a, b',
      '502;s502@example.com;Alan;Turing;;DE;2020-01-02;2;false;',
    ].join('\n')}\n`;
    const semi = await t.importFile(semicolon, { filename: 'semicolon.csv' });
    expect(semi).toMatchObject({ status: 'completed', delimiter: ';', successRows: 2, failedRows: 0 });
    const company = await t.sql`select company, notes from contacts where id = 501`;
    expect({ ...company[0] }).toEqual({ company: 'Stark, Inc.', notes: 'a, b' });

    const tab = await t.importFile(`${[HEADER.replaceAll(',', '\t'), row(511).replaceAll(',', '\t')].join('\n')}\n`, {
      filename: 'tabs.tsv',
    });
    expect(tab).toMatchObject({ status: 'completed', delimiter: '\t', successRows: 1 });
    const pipe = await t.importFile(`${[HEADER.replaceAll(',', '|'), row(521).replaceAll(',', '|')].join('\n')}\n`, {
      filename: 'pipes.csv',
    });
    expect(pipe).toMatchObject({ status: 'completed', delimiter: '|', successRows: 1 });

    const plain = contactsFixture({ rows: 300, brokenEvery: 50, seed: 99 });
    const gz = gzipSync(Buffer.from(plain.csv.replace(/^(\d+),/gm, (_m, id: string) => `${Number(id) + 600},`)));
    const zipped = await t.importFile(gz, { filename: 'contacts.csv.gz', type: 'application/gzip' });
    expect(zipped).toMatchObject({
      status: 'completed',
      processedRows: 300,
      successRows: 300 - plain.broken.length,
      failedRows: plain.broken.length,
    });
    expect(await t.tableRows(zipped.id)).toBe(300 - plain.broken.length);
  });

  it('onDuplicate=last: the last occurrence wins, each counts as a success, one row per key; earlier imports are updated', async () => {
    const file = `${[HEADER, row(701, 'First'), row(702, 'Only'), row(701, 'Second'), row(703, 'Alone'), row(701, 'Third')].join('\n')}\n`;
    const last = await t.importFile(file, { filename: 'last.csv', fields: { onDuplicate: 'last' } });
    expect(last).toMatchObject({ status: 'completed', onDuplicate: 'last', processedRows: 5, successRows: 5, failedRows: 0, totalRows: 5 });
    const rows =
      await t.sql`select id::int as id, first_name, source_row::int as source_row from contacts where id in (701, 702, 703) order by id`;
    expect(rows.map((r) => [r.id, r.first_name, r.source_row])).toEqual([
      [701, 'Third', 5],
      [702, 'Only', 2],
      [703, 'Alone', 4],
    ]);

    // The default policy on the same shape: later occurrences fail with duplicate_key, the first stays.
    const strict = await t.importFile(file.replaceAll(/^70/gm, '71'), { filename: 'error.csv' });
    expect(strict).toMatchObject({ status: 'completed', onDuplicate: 'error', processedRows: 5, successRows: 3, failedRows: 2 });
    const errors = (
      await call<{ items: Array<{ row: number; code: string; column: string | null }> }>(t.stack, `/api/imports/${strict.id}/errors`)
    ).body.items;
    expect(errors.map((e) => [e.row, e.code])).toEqual([
      [3, 'duplicate_key'],
      [5, 'duplicate_key'],
    ]);
    expect((await t.sql`select first_name from contacts where id = 711`)[0]!.first_name).toBe('First');

    // A key from an earlier import is updated (upsert), not a duplicate.
    const update = await t.importFile(`${[HEADER, row(702, 'Updated')].join('\n')}\n`, { filename: 'update.csv' });
    expect(update).toMatchObject({ status: 'completed', successRows: 1, failedRows: 0 });
    expect({ ...(await t.sql`select first_name, import_job_id::text as job from contacts where id = 702`)[0] }).toEqual({
      first_name: 'Updated',
      job: update.id,
    });
  });

  it('after all of it every process is still running and healthy', async () => {
    await t.expectStillWell();
  });
});
