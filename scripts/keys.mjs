// npm run keys -- create --tenant T --name N [--role R] | list | revoke ID: manages tenants' API keys in PostgreSQL.
// Works on a fresh clone: installs and builds what the command needs first. Everything this script says goes
// to stderr, so stdout holds only the command's own answer (e.g. `npm run keys -- list --json`).
import { runAdminCommand } from './lib/admin-command.mjs';

runAdminCommand('keys');
