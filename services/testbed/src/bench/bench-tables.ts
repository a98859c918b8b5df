import { ensureDatabase, migrateDatabase } from '@docprocessor/db';
import { CONTACTS_COLUMNS, psql, psqlValue, settle } from './measure.js';

/**
 * Rows already in a table have ids from here on; the bench's files use 1..2×rows (+1,000), so they never meet
 * them and every file row is new to the table.
 */
export const EXISTING_FIRST_ID = 1_000_000_001;

/** The same made-up job and run for every row that was "already there". */
const EARLIER_JOB = '00000000-0000-4000-8000-000000000001';

/** Where a run imports: the template's table `contacts`, and `bench_copy` (same columns and key) for `psql \copy`. */
export interface Target {
  label: string;
  databaseUrl: string;
  /** Rows in both tables before each run. */
  existing: number;
  copyTable: string;
  /** Takes out of `contacts` what the runs wrote, and settles. */
  resetContacts(): Promise<void>;
  /** Takes out of `bench_copy` what `psql \copy` wrote, and settles. */
  resetCopy(): Promise<void>;
}

async function emptyAndSettle(databaseUrl: string, table: string): Promise<void> {
  await psql(databaseUrl, `truncate ${table}`);
  await settle(databaseUrl);
}

/** The bench's own fresh database: both tables start empty. */
export async function emptyTarget(databaseUrl: string): Promise<Target> {
  await psql(databaseUrl, `create table if not exists bench_copy (${CONTACTS_COLUMNS})`);
  return {
    label: 'empty table',
    databaseUrl,
    existing: 0,
    copyTable: 'bench_copy',
    resetContacts: () => emptyAndSettle(databaseUrl, 'contacts'),
    resetCopy: () => emptyAndSettle(databaseUrl, 'bench_copy'),
  };
}

/** Deletes the rows the runs added (ids below EXISTING_FIRST_ID) and vacuums, so each run meets the same table. */
async function removeNewRows(databaseUrl: string, table: string): Promise<void> {
  await psql(databaseUrl, `delete from ${table} where id < ${EXISTING_FIRST_ID}`);
  await psql(databaseUrl, `vacuum ${table}`);
  await settle(databaseUrl);
}

/** `docprocessor_bench_10m` for 10,000,000 rows, `docprocessor_bench_200k` for 200,000, and so on. */
export function keptDatabaseName(existing: number): string {
  const size = existing % 1e6 === 0 ? `${existing / 1e6}m` : existing % 1e3 === 0 ? `${existing / 1e3}k` : String(existing);
  return `docprocessor_bench_${size}`;
}

/**
 * A database kept between runs whose `contacts` and `bench_copy` each hold `existing` rows (made once: it takes
 * minutes), migrated to the current schema. Jobs of earlier runs are dropped, so no watchdog resumes one.
 */
export async function keptTarget(baseUrl: string, existing: number): Promise<{ target: Target; builtSeconds: number | null }> {
  const url = new URL(baseUrl);
  url.pathname = `/${keptDatabaseName(existing)}`;
  const databaseUrl = url.toString();
  await ensureDatabase(databaseUrl);
  await migrateDatabase(databaseUrl);
  await psql(
    databaseUrl,
    `create table if not exists bench_copy (${CONTACTS_COLUMNS}); create table if not exists bench_made (existing bigint not null)`,
  );
  await psql(databaseUrl, 'truncate import_jobs cascade; truncate import_before_images');
  let builtSeconds: number | null = null;
  if (Number(await psqlValue(databaseUrl, 'select coalesce(max(existing), -1) from bench_made')) !== existing) {
    const started = performance.now();
    await fillExisting(databaseUrl, existing);
    builtSeconds = (performance.now() - started) / 1000;
  } else {
    await removeNewRows(databaseUrl, 'contacts');
    await removeNewRows(databaseUrl, 'bench_copy');
  }
  const target: Target = {
    label: `${existing.toLocaleString('en-US')}-row table`,
    databaseUrl,
    existing,
    copyTable: 'bench_copy',
    resetContacts: () => removeNewRows(databaseUrl, 'contacts'),
    resetCopy: () => removeNewRows(databaseUrl, 'bench_copy'),
  };
  return { target, builtSeconds };
}

/** Rows like an earlier import's (names with accents, empty optional cells), the same in both tables. */
async function fillExisting(databaseUrl: string, existing: number): Promise<void> {
  const last = EXISTING_FIRST_ID + existing - 1;
  await psql(
    databaseUrl,
    `truncate contacts, bench_copy, bench_made;
     insert into contacts (id, email, first_name, last_name, company, country, signup_date, amount, active, notes,
       import_job_id, import_run_id, source_row)
     select id, 'contact' || id || '@example.com',
       (array['Ada', 'Grace', 'Zoë', 'José', 'Søren', 'Mary Ann'])[1 + id % 6],
       (array['Lovelace', 'Hopper', 'Müller', 'Nguyễn', 'Turing'])[1 + id % 5],
       case when id % 4 = 0 then null else (array['ACME', 'Globex', 'Stark, Inc.', 'Müller GmbH'])[1 + id % 4] end,
       (array['GB', 'US', 'DE', 'FR', 'NL', 'SE', 'JP'])[1 + id % 7],
       date '2010-01-01' + (id % 5000)::int,
       (id % 1000000) / 100.0,
       id % 2 = 0,
       case when id % 20 < 11 then null else 'called twice, no answer' end,
       '${EARLIER_JOB}', '${EARLIER_JOB}', id - ${EXISTING_FIRST_ID - 1}
     from generate_series(${EXISTING_FIRST_ID}::bigint, ${last}::bigint) as id;
     insert into bench_copy select id, email, first_name, last_name, company, country, signup_date, amount, active, notes from contacts;
     insert into bench_made values (${existing})`,
  );
  // Frozen and analysed once, so no run pays for setting hint bits or an anti-wraparound vacuum of these rows.
  await psql(databaseUrl, 'vacuum (freeze, analyze) contacts');
  await psql(databaseUrl, 'vacuum (freeze, analyze) bench_copy');
  await settle(databaseUrl);
}
