// Creates the database named in DATABASE_URL when it is missing and applies pending migrations.
// A program of its own (run by scripts/lib/database.mjs and by the `migrate` container) because it
// needs the built @docprocessor/db, which does not exist yet when the other scripts are loaded.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BackingServicesEnv, parseEnv } from '@docprocessor/contracts';
import { createDbClient, ensureDatabase, migrateDatabase, MIGRATIONS_FOLDER } from '@docprocessor/db';

const url = parseEnv(BackingServicesEnv, process.env, 'migrate').DATABASE_URL;
const name = decodeURIComponent(new URL(url).pathname.slice(1));

/** How many migrations the database has recorded (drizzle keeps them in drizzle.__drizzle_migrations). */
async function appliedCount() {
  const client = createDbClient(url, { max: 1, applicationName: 'docprocessor-migrate' });
  try {
    const [{ exists }] = await client.sql`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`;
    if (!exists) return 0;
    const [{ count }] = await client.sql`select count(*)::int as count from drizzle.__drizzle_migrations`;
    return count;
  } finally {
    await client.close();
  }
}

const created = await ensureDatabase(url);
console.log(created ? `created database "${name}"` : `database "${name}" exists`);
const before = await appliedCount();
await migrateDatabase(url);
const after = await appliedCount();
const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8'));
const applied = journal.entries.slice(before, after).map((entry) => entry.tag);
console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : `no pending migrations (${after} applied)`);
