// The database step of start and migrate: runs migrate-database.mjs in a child once @docprocessor/db is built.
import { fileURLToPath } from 'node:url';
import { say } from './log.mjs';
import { runOrFail } from './run.mjs';

const PROGRAM = fileURLToPath(new URL('./migrate-database.mjs', import.meta.url));

/** `databaseUrl` is only for the message: the child reads DATABASE_URL through the same schema. */
export async function prepareDatabase(databaseUrl) {
  const { host, port, pathname } = new URL(databaseUrl);
  say(`database ${pathname.slice(1)} on ${host}${port ? '' : ':5432'}: creating if missing, migrating`);
  await runOrFail(process.execPath, [PROGRAM]);
}
