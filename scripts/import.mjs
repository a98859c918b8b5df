// npm run import -- <file> [options]: uploads a file to a running DocProcessor and follows it (services/cli).
// Works on a fresh clone: installs and builds the CLI first. Reads the same .env as npm start, so it finds the
// stack npm start runs (WEB_PORT, API_KEYS) unless DOCPROCESSOR_URL / DOCPROCESSOR_KEY say otherwise.
import { loadEnv } from './lib/env.mjs';
import { runMain } from './lib/log.mjs';
import { runWorkspaceCli } from './lib/workspace-cli.mjs';

runMain(async () => {
  loadEnv();
  // The CLI's exit code is ours: 0 completed with no failed rows, 1 failed rows or job, 2 usage or connection.
  return runWorkspaceCli({
    pkg: '@docprocessor/cli',
    entry: 'services/cli/dist/import.js',
    workspaces: ['services/cli', 'services/contracts'],
    args: process.argv.slice(2),
  });
});
