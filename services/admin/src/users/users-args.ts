import type { z } from 'zod';
import { BaseEnv } from '@docprocessor/contracts';
import { NewUser, TenantId } from '@docprocessor/db';
import { COMMON_OPTIONS, readCommandLine } from '../command-line.js';

/** The services' own default, so the command and the services meet in the same database. */
export const DEFAULT_DATABASE_URL = BaseEnv.shape.DATABASE_URL.parse(undefined);

export const USAGE = `Manage the people who sign in to DocProcessor.

Usage:
  npm run users -- create --tenant T --email E --role R [--password P]
                                   create an account; without --password a password is generated
                                   and printed this once
  npm run users -- list [--tenant T]   list accounts: id, tenant, email, role, created, last sign-in, disabled
  npm run users -- disable ID|EMAIL    disable an account and end its sessions at once
  npm run users -- --help              this text

Options:
  -t, --tenant T     1 to 64 characters of letters, digits, "-" and "_"
  -e, --email E      the address the person signs in with
  -r, --role R       viewer (reads), importer (also uploads, cancels, retries, fixes), admin (everything)
  -p, --password P   at least 12 characters (it ends up in your shell history: prefer the generated one)
      --json         print JSON instead of text (create, list)

The database is DATABASE_URL (default ${DEFAULT_DATABASE_URL}); it is created and
migrated when needed. Every create and disable is written to the tenant's audit log.
Exit codes: 0 done, 1 failed (e.g. no such account, database unreachable), 2 wrong usage.`;

export type UsersCommand =
  | { command: 'help' }
  | { command: 'create'; user: NewUser; json: boolean }
  | { command: 'list'; tenantId: string | undefined; json: boolean }
  | { command: 'disable'; who: string };

/** A mistake in the command line: printed with a pointer to --help, exit code 2. */
export class UsersUsageError extends Error {
  override readonly name = 'UsersUsageError';
}

function valid<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UsersUsageError(issue ? `${issue.path.join('.') || 'value'}: ${issue.message}` : 'invalid input');
}

const OPTIONS = {
  ...COMMON_OPTIONS,
  email: { type: 'string', short: 'e' },
  password: { type: 'string', short: 'p' },
} as const;

/** Reads the command line; throws UsersUsageError for anything it cannot run. */
export function parseUsersArgs(argv: readonly string[]): UsersCommand {
  const { values, positionals } = readCommandLine(argv, OPTIONS, UsersUsageError);
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') return { command: 'help' };
  if (command !== 'disable' && rest.length > 0) throw new UsersUsageError(`${command} takes no further arguments (got: ${rest.join(' ')})`);
  switch (command) {
    case 'create':
      for (const needed of ['tenant', 'email', 'role'] as const)
        if (values[needed] === undefined) throw new UsersUsageError(`create needs --${needed}`);
      return {
        command: 'create',
        user: valid(NewUser, { tenantId: values.tenant, email: values.email, role: values.role, password: values.password }),
        json: values.json,
      };
    case 'list':
      return { command: 'list', tenantId: values.tenant === undefined ? undefined : valid(TenantId, values.tenant), json: values.json };
    case 'disable': {
      const [who, ...extra] = rest;
      if (!who || extra.length > 0) throw new UsersUsageError('disable takes one account: its id or email (see: npm run users -- list)');
      return { command: 'disable', who };
    }
    case undefined:
      throw new UsersUsageError('missing command: create, list or disable');
    default:
      throw new UsersUsageError(`unknown command "${command}": use create, list or disable`);
  }
}
