// npm run keys -- create --tenant T --name N | list | revoke ID: manages tenants' API keys in PostgreSQL.
// Works on a fresh clone: installs and builds what the command needs first. Everything this script says goes
// to stderr, so stdout holds only the command's own answer (e.g. `npm run keys -- list --json`).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadEnv, ROOT } from './lib/env.mjs';
import { runMain, SetupError } from './lib/log.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { ensureServices } from './lib/backing-services.mjs';
import { run } from './lib/run.mjs';

const CLI = path.join(ROOT, 'services/admin/dist/keys.js');
/** What the CLI is built from: the admin workspace and the db and contracts workspaces it imports. */
const SOURCES = ['services/admin', 'services/db', 'services/contracts'].flatMap((dir) =>
  ['src', 'package.json', 'tsconfig.build.json'].map((part) => `${dir}/${part}`),
);

/** The newest modification time among files under `target` (a file or a folder). */
function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(target).map((entry) => newestMtime(path.join(target, entry))));
}

function isStale() {
  if (!existsSync(CLI)) return true;
  const built = statSync(CLI).mtimeMs;
  return SOURCES.some((source) => newestMtime(path.join(ROOT, source)) > built);
}

/** turbo with its output on stderr; it builds db and contracts first when admin needs them. */
function buildAdmin() {
  const local = path.join(ROOT, 'node_modules', '.bin', 'turbo');
  const [command, prefix] = existsSync(local) ? [local, []] : ['npx', ['turbo']];
  const args = [...prefix, 'run', 'build', '--filter=@docprocessor/admin', '--output-logs=errors-only'];
  const { NODE_ENV, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
      stdio: ['ignore', 2, 2],
    });
    child.on('error', (error) => reject(new SetupError(`could not run turbo: ${error.message}`)));
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new SetupError(`building @docprocessor/admin failed (exit code ${code})`)),
    );
  });
}

runMain(async () => {
  loadEnv();
  const args = process.argv.slice(2);
  const wantsHelp = args.length === 0 || args.includes('--help') || args.includes('-h') || args[0] === 'help';
  if (!existsSync(path.join(ROOT, 'node_modules'))) console.error('» installing dependencies first (npm ci)');
  await ensureInstalled();
  // Only checked, never started: a key command should not own the database server.
  if (!wantsHelp) await ensureServices({ nats: false, start: false });
  if (isStale()) {
    console.error(`» building @docprocessor/admin (${existsSync(CLI) ? 'its sources changed since the last build' : 'not built yet'})`);
    await buildAdmin();
  }
  // The CLI's exit code is ours: 0 done, 1 failed, 2 wrong usage.
  return run(process.execPath, [CLI, ...args]);
});
