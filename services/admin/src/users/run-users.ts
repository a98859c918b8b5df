import { createUser, disableUser, InvalidUserInputError, listUsers, type DbClient } from '@docprocessor/db';
import { type CliIo, withAdminDatabase } from '../admin-database.js';
import { formatTable, when } from '../text-table.js';
import { DEFAULT_DATABASE_URL, parseUsersArgs, USAGE, UsersUsageError, type UsersCommand } from './users-args.js';

/** Runs one `users` command line and resolves with the process exit code: 0 done, 1 failed, 2 wrong usage. */
export async function runUsersCli(argv: readonly string[], io: CliIo): Promise<number> {
  const print = (text: string) => io.stdout.write(`${text}\n`);
  const fail = (text: string) => io.stderr.write(`users: ${text}\n`);
  let command: UsersCommand;
  try {
    command = parseUsersArgs(argv);
  } catch (error) {
    if (!(error instanceof UsersUsageError)) throw error;
    fail(`${error.message}\nRun "npm run users -- --help" for usage.`);
    return 2;
  }
  if (command.command === 'help') {
    print(USAGE);
    return 0;
  }
  const mistake = (error: unknown) => error instanceof InvalidUserInputError;
  return withAdminDatabase('users', io, DEFAULT_DATABASE_URL, mistake, (client) => execute(command, client, print, fail));
}

async function execute(
  command: Exclude<UsersCommand, { command: 'help' }>,
  client: DbClient,
  print: (text: string) => void,
  fail: (text: string) => void,
): Promise<number> {
  switch (command.command) {
    case 'create': {
      const created = await createUser(client, command.user);
      if (command.json) print(JSON.stringify(created));
      else {
        print(`Created ${created.role} ${created.email} in tenant ${created.tenantId} (id ${created.id}).`);
        if (created.generatedPassword)
          print(`\n  password  ${created.generatedPassword}\n\nGive it to them now: it is shown only this once. They sign in at the UI.`);
      }
      return 0;
    }
    case 'list': {
      const users = await listUsers(client, command.tenantId);
      if (command.json) print(JSON.stringify(users));
      else if (users.length === 0) print('No accounts yet. Create one: npm run users -- create --tenant T --email E --role R');
      else
        print(
          formatTable(
            ['ID', 'TENANT', 'EMAIL', 'ROLE', 'CREATED', 'LAST SIGN-IN', 'DISABLED'],
            users.map((u) => [u.id, u.tenantId, u.email, u.role, when(u.createdAt), when(u.lastSignInAt), when(u.disabledAt)]),
          ),
        );
      return 0;
    }
    case 'disable': {
      if (await disableUser(client, command.who)) {
        print(`Disabled ${command.who}; their sessions ended, open pages are signed out within seconds.`);
        return 0;
      }
      fail(`no enabled account is ${command.who} (see: npm run users -- list)`);
      return 1;
    }
  }
}
