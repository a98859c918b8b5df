// The admin commands (npm run keys, npm run users) run the same way: installed and built on demand, the database
// checked (never started: an admin command should not own the database server), their exit code passed on.
import { ensureServices } from './backing-services.mjs';
import { loadEnv } from './env.mjs';
import { runMain } from './log.mjs';
import { runWorkspaceCli } from './workspace-cli.mjs';

/** Runs services/admin/dist/<entry>.js with this process's arguments. */
export function runAdminCommand(entry) {
  runMain(async () => {
    loadEnv();
    const args = process.argv.slice(2);
    const wantsHelp = args.length === 0 || args.includes('--help') || args.includes('-h') || args[0] === 'help';
    // The CLI's exit code is ours: 0 done, 1 failed, 2 wrong usage.
    return runWorkspaceCli({
      pkg: '@docprocessor/admin',
      entry: `services/admin/dist/${entry}.js`,
      workspaces: ['services/admin', 'services/db', 'services/contracts'],
      args,
      beforeRun: () => (wantsHelp ? Promise.resolve() : ensureServices({ nats: false, start: false })),
    });
  });
}
