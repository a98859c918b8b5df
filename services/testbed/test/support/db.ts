import { parse } from 'csv-parse/sync';
import postgres from 'postgres';
import { expect } from 'vitest';
import type { Stack } from '../../src/stack.js';
import type { ContactsFixture } from './contacts.js';

/** A plain SQL handle on the stack's own database (what `psql` would show a person). */
export function openDb(stack: Stack): postgres.Sql {
  return postgres(stack.databaseUrl, { max: 2, onnotice: () => {} });
}

/** After a clean import of `fixture` into an empty table: its valid rows, once each, with typed and intact values. */
export async function expectImportedContacts(sql: postgres.Sql, fixture: ContactsFixture, jobId: string): Promise<void> {
  // The table holds exactly the valid rows, once each; a repeated key kept its first occurrence.
  const [{ n }] = (await sql`select count(*)::int as n from contacts where import_job_id = ${jobId}`) as unknown as [{ n: number }];
  expect(n).toBe(fixture.validIds.length);
  const ids = (await sql`select id::int as id from contacts order by id`).map((r) => r.id as number);
  expect(ids).toEqual(fixture.validIds);
  const repeated =
    await sql`select id::int as id, first_name from contacts where id = any(${fixture.duplicateRows.map((d) => d.id)}) order by id`;
  expect(repeated.map((r) => r.first_name)).not.toContain('Repeat');
  // Values arrive typed and intact: quoted commas, doubled quotes, multi-line notes, accents, upper-cased countries.
  const source = parse(fixture.csv, { columns: true }) as Array<Record<string, string>>;
  const sample =
    await sql`select id::int as id, email, first_name, last_name, company, country, to_char(signup_date, 'YYYY-MM-DD') as signup_date,
      amount::text as amount, active, notes, source_row::int as source_row from contacts where id in (1, 2, 3, 4, 11, 12) order by id`;
  for (const row of sample) {
    const original = source[row.id - 1]!;
    expect(row).toMatchObject({
      email: original.email,
      first_name: original.first_name,
      last_name: original.last_name,
      company: original.company === '' ? null : original.company,
      country: original.country!.toUpperCase(),
      signup_date: original.signup_date,
      active: ['true', '1', 'yes'].includes(original.active!.toLowerCase()),
      notes: original.notes === '' ? null : original.notes,
      source_row: row.id,
    });
    expect(Number(row.amount)).toBe(Number(original.amount));
  }
}
