import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, contact, createJob, csvOf, HEADER, waitForFinal, type Harness } from './helper.js';

let h: Harness;
beforeAll(async () => {
  h = await build({ PROCESSOR_BATCH_ROWS: '4', MAX_STORED_ERRORS: '3', MAX_COLUMNS: '20', MAX_ROW_BYTES: '4096' });
});
afterAll(() => h.close());

const errorsOf = (jobId: string) =>
  h.ctx.db.sql<{ row: number; column: string | null; value: string | null; code: string; message: string }[]>`
    select row, "column", value, code, message from import_row_errors where job_id = ${jobId} order by row, id`;

describe('encodings', () => {
  it('decodes Windows-1252 into proper text', async () => {
    const text = csvOf(contact(1, { first: 'Renée' })).replace('Lovelace', 'Müller€');
    const job = await createJob(h, iconv.encode(text, 'windows-1252'), { encoding: 'windows-1252' });
    expect(await waitForFinal(h, job.id)).toMatchObject({ status: 'completed', successRows: 1 });
    const [row] = await h.ctx.db.sql`select first_name, last_name from contacts where id = 1`;
    expect(row).toEqual({ first_name: 'Renée', last_name: 'Müller€' });
  });

  it('turns invalid UTF-8 into row errors with the byte offset, never into stored mojibake', async () => {
    const good = csvOf(contact(10), contact(11));
    const broken = Buffer.concat([
      Buffer.from(good),
      Buffer.from('12,u12@example.com,Ad'),
      Buffer.from([0xe9]),
      Buffer.from('le,Lovelace,ACME,gb,2024-02-29,1,yes,\n'),
    ]);
    const offset = Buffer.byteLength(good) + Buffer.byteLength('12,u12@example.com,Ad');
    const job = await createJob(h, Buffer.concat([broken, Buffer.from(`${contact(13)}\n`)]));
    expect(await waitForFinal(h, job.id)).toMatchObject({ status: 'completed', processedRows: 4, successRows: 3, failedRows: 1 });
    expect(await errorsOf(job.id)).toEqual([
      { row: 3, column: 'first_name', value: 'Ad\uFFFDle', code: 'invalid_encoding', message: expect.stringContaining(`offset ${offset}`) },
    ]);
    expect(await h.ctx.db.sql`select 1 from contacts where id = 12`).toHaveLength(0);
  });

  it('turns a NUL character inside a field into a row error (text cannot hold it) and imports the other rows', async () => {
    const job = await createJob(h, csvOf(contact(30), contact(31, { first: 'Nu\u0000l' }), contact(32)));
    expect(await waitForFinal(h, job.id)).toMatchObject({ status: 'completed', processedRows: 3, successRows: 2, failedRows: 1 });
    expect(await errorsOf(job.id)).toEqual([
      {
        row: 2,
        column: 'first_name',
        value: 'Nu\uFFFDl',
        code: 'invalid_encoding',
        message: 'contains a NUL character, which text cannot hold',
      },
    ]);
    expect(await h.ctx.db.sql`select id from contacts where id in (30, 31, 32) order by id`).toEqual([{ id: 30 }, { id: 32 }]);
  });

  it('keeps a real U+FFFD written as valid UTF-8', async () => {
    const job = await createJob(h, csvOf(contact(20, { first: 'Odd\uFFFDname' })));
    expect(await waitForFinal(h, job.id)).toMatchObject({ status: 'completed', successRows: 1 });
  });
});

describe('dialects and limits', () => {
  it('reads a semicolon-delimited file', async () => {
    const lines = [HEADER, contact(30), contact(31)].map((l) => l.replaceAll(',', ';'));
    const job = await createJob(h, lines.join('\r\n'), { delimiter: ';' });
    expect(await waitForFinal(h, job.id)).toMatchObject({ status: 'completed', successRows: 2 });
  });

  it('stores the first MAX_STORED_ERRORS errors with detail and counts them all', async () => {
    const job = await createJob(h, csvOf(...Array.from({ length: 6 }, (_, i) => contact(40 + i, { email: `bad${i}` }))));
    expect(await waitForFinal(h, job.id)).toMatchObject({ status: 'completed', failedRows: 6, errorsTotal: 6 });
    expect((await errorsOf(job.id)).map((e) => e.row)).toEqual([1, 2, 3]);
  });

  it('reports unknown header names it can store: NUL removed, long names cut', async () => {
    const job = await createJob(h, `${HEADER},a\u0000b,${'x'.repeat(500)}\n`);
    const done = await waitForFinal(h, job.id);
    expect(done).toMatchObject({ status: 'completed', ignoredColumns: ['ab', 'x'.repeat(200)] });
  });

  it('fails a header with too many columns', async () => {
    const header = `${HEADER},${Array.from({ length: 15 }, (_, i) => `x${i}`).join(',')}`;
    const job = await createJob(h, `${header}\n`);
    expect((await waitForFinal(h, job.id)).error).toMatchObject({ kind: 'validation', code: 'too_many_columns' });
  });

  it('fails at the row holding an oversized field, in bounded memory', async () => {
    const job = await createJob(h, csvOf(contact(50), contact(51, { first: 'x'.repeat(10_000) })));
    const { error } = await waitForFinal(h, job.id);
    expect(error).toMatchObject({ kind: 'validation', code: 'field_too_large', row: 2 });
    expect(error?.message).toContain('larger than 4 KiB');
  });

  it('names an unterminated quote', async () => {
    const job = await createJob(h, csvOf(contact(60), '61,"never closed,Ada'));
    expect((await waitForFinal(h, job.id)).error).toMatchObject({ kind: 'validation', code: 'unterminated_quote', row: 2 });
  });
});

describe('random bytes', () => {
  it('always end in a final state, never a crashed worker', async () => {
    let seed = 99;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const alphabet = Buffer.from('abc,;"\r\n\t\\ 1é\u0000');
    const jobs = [];
    for (let i = 0; i < 25; i++) {
      const length = 1 + Math.floor(random() * 3000);
      const bytes =
        i % 2 === 0
          ? Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)))
          : Buffer.from(Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]!));
      // Half of them behind a valid header, so the rows themselves get parsed and validated.
      jobs.push(await createJob(h, i % 4 < 2 ? Buffer.concat([Buffer.from(`${HEADER}\n`), bytes]) : bytes));
    }
    for (const job of jobs) {
      const done = await waitForFinal(h, job.id);
      expect(['completed', 'failed']).toContain(done.status);
      expect(done.processedRows).toBe(done.successRows + done.failedRows);
      if (done.status === 'failed') expect(done.error?.kind).toBe('validation');
    }
  }, 60_000); // 25 jobs through one worker: a loaded CI machine needs more than the default 5 s
});
