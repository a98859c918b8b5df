// npm run users -- create --tenant T --email E --role R [--password P] | list | disable ID: the people who sign in.
// Works on a fresh clone: installs and builds what the command needs first. Everything this script says goes
// to stderr, so stdout holds only the command's own answer (e.g. `npm run users -- list --json`).
import { runAdminCommand } from './lib/admin-command.mjs';

runAdminCommand('users');
