import { createApiKey, isInvalidApiKeyInput, listApiKeys, revokeApiKey, type Database } from '@docprocessor/db';
import { type CliIo, withAdminDatabase } from '../admin-database.js';
import { formatCreatedKey, formatKeyTable } from './format-keys.js';
import { DEFAULT_DATABASE_URL, parseKeysArgs, USAGE, UsageError, type KeysCommand } from './keys-args.js';

export type { CliIo } from '../admin-database.js';

/** Runs one `keys` command line and resolves with the process exit code: 0 done, 1 failed, 2 wrong usage. */
export async function runKeysCli(argv: readonly string[], io: CliIo): Promise<number> {
  const print = (text: string) => io.stdout.write(`${text}\n`);
  const fail = (text: string) => io.stderr.write(`keys: ${text}\n`);
  let command: KeysCommand;
  try {
    command = parseKeysArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    fail(`${error.message}\nRun "npm run keys -- --help" for usage.`);
    return 2;
  }
  if (command.command === 'help') {
    print(USAGE);
    return 0;
  }
  return withAdminDatabase('keys', io, DEFAULT_DATABASE_URL, isInvalidApiKeyInput, (client) => execute(command, client.db, print, fail));
}

async function execute(
  command: Exclude<KeysCommand, { command: 'help' }>,
  db: Database,
  print: (text: string) => void,
  fail: (text: string) => void,
): Promise<number> {
  switch (command.command) {
    case 'create': {
      const created = await createApiKey(db, { tenantId: command.tenantId, name: command.name, role: command.role });
      print(command.json ? JSON.stringify(created) : formatCreatedKey(created));
      return 0;
    }
    case 'list': {
      const keys = (await listApiKeys(db)).filter((key) => command.tenantId === undefined || key.tenantId === command.tenantId);
      if (command.json) print(JSON.stringify(keys));
      else
        print(keys.length === 0 && command.tenantId !== undefined ? `No API keys for tenant ${command.tenantId}.` : formatKeyTable(keys));
      return 0;
    }
    case 'revoke': {
      if (await revokeApiKey(db, command.id)) {
        print(`Revoked API key ${command.id}. Services refuse it within 2 seconds.`);
        return 0;
      }
      fail(`no active API key has the id ${command.id} (unknown or already revoked; see: npm run keys -- list)`);
      return 1;
    }
  }
}
