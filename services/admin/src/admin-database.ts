import { createDbClient, ensureDatabase, migrateDatabase, type DbClient } from '@docprocessor/db';

export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/** host:port/name, never the user or password of the URL. */
export function describeDatabase(url: string): string {
  try {
    const { hostname, port, pathname } = new URL(url);
    return `${hostname}:${port || 5432}${pathname}`;
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

/**
 * Runs one admin command against DATABASE_URL, created and migrated when needed (a fresh clone's first command
 * works). Resolves with the exit code: the command's own, 2 for input the person can correct, 1 for anything else.
 */
export async function withAdminDatabase(
  cli: string,
  io: CliIo,
  defaultUrl: string,
  isUsageMistake: (error: unknown) => boolean,
  run: (client: DbClient) => Promise<number>,
): Promise<number> {
  const url = io.env.DATABASE_URL || defaultUrl;
  const fail = (text: string) => io.stderr.write(`${cli}: ${text}\n`);
  let client: DbClient | undefined;
  try {
    if (await ensureDatabase(url)) io.stderr.write(`${cli}: created database ${describeDatabase(url)}\n`);
    await migrateDatabase(url);
    client = createDbClient(url, { max: 1, applicationName: `${cli}-cli` });
    return await run(client);
  } catch (error) {
    if (isUsageMistake(error)) {
      fail((error as Error).message);
      return 2;
    }
    fail(`${(error as Error).message ?? String(error)} (database ${describeDatabase(url)}, from DATABASE_URL)`);
    return 1;
  } finally {
    await client?.close();
  }
}
