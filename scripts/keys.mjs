// npm run keys -- create --tenant T --name N | list | revoke ID: manages tenants' API keys in PostgreSQL.
// Works on a fresh clone: installs and builds what the command needs first. Everything this script says goes
// to stderr, so stdout holds only the command's own answer (e.g. `npm run keys -- list --json`).
import { ensureServices } from './lib/backing-services.mjs';
import { loadEnv } from './lib/env.mjs';
import { runMain } from './lib/log.mjs';
import { runWorkspaceCli } from './lib/workspace-cli.mjs';

runMain(async () => {
  loadEnv();
  const args = process.argv.slice(2);
  const wantsHelp = args.length === 0 || args.includes('--help') || args.includes('-h') || args[0] === 'help';
  // The CLI's exit code is ours: 0 done, 1 failed, 2 wrong usage.
  return runWorkspaceCli({
    pkg: '@docprocessor/admin',
    entry: 'services/admin/dist/keys.js',
    workspaces: ['services/admin', 'services/db', 'services/contracts'],
    args,
    // Only checked, never started: a key command should not own the database server.
    beforeRun: () => (wantsHelp ? Promise.resolve() : ensureServices({ nats: false, start: false })),
  });
});
