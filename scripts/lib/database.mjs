// The database step of start and migrate: runs migrate-database.mjs in a child once @docprocessor/db is built.
import { fileURLToPath } from 'node:url';
import { say } from './log.mjs';
import { runOrFail } from './run.mjs';

const PROGRAM = fileURLToPath(new URL('./migrate-database.mjs', import.meta.url));

export async function prepareDatabase() {
  const { host, port, pathname } = new URL(process.env.DATABASE_URL);
  say(`database ${pathname.slice(1)} on ${host}${port ? '' : ':5432'}: creating if missing, migrating`);
  await runOrFail(process.execPath, [PROGRAM]);
}
