import { BaseEnv, DEFAULT_KEY_ROLE, type Role } from '@docprocessor/contracts';
import { ApiKeyId, NewApiKey, parseApiKeyInput, TenantId } from '@docprocessor/db';
import { COMMON_OPTIONS, readCommandLine } from '../command-line.js';

/** The services' own default, so the command and the services meet in the same database. */
export const DEFAULT_DATABASE_URL = BaseEnv.shape.DATABASE_URL.parse(undefined);

export const USAGE = `Manage the API keys of DocProcessor's tenants.

Usage:
  npm run keys -- create --tenant T --name N [--role R]
                                               create a key for tenant T and print it (only this once)
  npm run keys -- list [--tenant T]            list keys: id, tenant, name, prefix, created, last used, revoked
  npm run keys -- revoke ID                    revoke a key; services refuse it within 2 seconds
  npm run keys -- --help                       this text

Options:
  -t, --tenant T   1 to 64 characters of letters, digits, "-" and "_"
  -n, --name N     what the key is for, e.g. "ci" (1 to 100 characters)
  -r, --role R     viewer, importer (the default) or admin
      --json       print JSON instead of text (create, list)

The database is DATABASE_URL (default ${DEFAULT_DATABASE_URL}); it is created and
migrated when needed. Keys in API_KEYS keep working, in the tenant "default", as admin.
Exit codes: 0 done, 1 failed (e.g. no such key, database unreachable), 2 wrong usage.`;

export type KeysCommand =
  | { command: 'help' }
  | { command: 'create'; tenantId: string; name: string; role: Role; json: boolean }
  | { command: 'list'; tenantId: string | undefined; json: boolean }
  | { command: 'revoke'; id: string };

/** A mistake in the command line: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Input checks made before any database is touched, so a typo costs no connection. */
function valid<T>(schema: Parameters<typeof parseApiKeyInput<T>>[0], input: unknown): T {
  try {
    return parseApiKeyInput(schema, input);
  } catch (error) {
    throw new UsageError((error as Error).message, { cause: error });
  }
}

const OPTIONS = {
  ...COMMON_OPTIONS,
  name: { type: 'string', short: 'n' },
} as const;

/** Reads the command line; throws UsageError for anything it cannot run. */
export function parseKeysArgs(argv: readonly string[]): KeysCommand {
  const { values, positionals } = readCommandLine(argv, OPTIONS, UsageError);
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') return { command: 'help' };
  const noMore = (what: string) => {
    if (rest.length > 0) throw new UsageError(`${what} takes no further arguments (got: ${rest.join(' ')})`);
  };
  switch (command) {
    case 'create':
      noMore('create');
      if (values.tenant === undefined) throw new UsageError('create needs --tenant T');
      if (values.name === undefined) throw new UsageError('create needs --name N');
      return {
        command: 'create',
        ...valid(NewApiKey, { tenantId: values.tenant, name: values.name, role: values.role ?? DEFAULT_KEY_ROLE }),
        json: values.json,
      };
    case 'list':
      noMore('list');
      if (values.name !== undefined) throw new UsageError('list takes no --name');
      return { command: 'list', tenantId: values.tenant === undefined ? undefined : valid(TenantId, values.tenant), json: values.json };
    case 'revoke': {
      const [id, ...extra] = rest;
      if (!id) throw new UsageError('revoke needs the id of the key (see: npm run keys -- list)');
      if (extra.length > 0) throw new UsageError(`revoke takes one id (got: ${rest.join(' ')})`);
      if (values.tenant !== undefined || values.name !== undefined) throw new UsageError('revoke takes only the id of the key');
      return { command: 'revoke', id: valid(ApiKeyId, id) };
    }
    case undefined:
      throw new UsageError('missing command: create, list or revoke');
    default:
      throw new UsageError(`unknown command "${command}": use create, list or revoke`);
  }
}
