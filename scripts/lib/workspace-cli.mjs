// Runs a command-line tool built from a workspace (`npm run keys`, `npm run import`) on a fresh clone: installs
// and builds what it needs first. Everything said here goes to stderr, so stdout holds only the tool's answer.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './env.mjs';
import { ensureInstalled } from './install.mjs';
import { SetupError } from './log.mjs';
import { run } from './run.mjs';

/** The newest modification time among files under `target` (a file or a folder). */
function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(target).map((entry) => newestMtime(path.join(target, entry))));
}

function isStale(entry, workspaces) {
  if (!existsSync(entry)) return true;
  const built = statSync(entry).mtimeMs;
  const sources = workspaces.flatMap((dir) => ['src', 'package.json', 'tsconfig.build.json'].map((part) => path.join(ROOT, dir, part)));
  return sources.some((source) => newestMtime(source) > built);
}

/** turbo with its output on stderr; it builds the workspaces the package depends on first. */
function build(pkg) {
  const local = path.join(ROOT, 'node_modules', '.bin', 'turbo');
  const [command, prefix] = existsSync(local) ? [local, []] : ['npx', ['turbo']];
  const args = [...prefix, 'run', 'build', `--filter=${pkg}`, '--output-logs=errors-only'];
  const { NODE_ENV, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
      stdio: ['ignore', 2, 2],
    });
    child.on('error', (error) => reject(new SetupError(`could not run turbo: ${error.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new SetupError(`building ${pkg} failed (exit code ${code})`))));
  });
}

/**
 * Installs, builds `pkg` when its sources (or those of the workspaces it is built from) changed, runs its `entry`
 * with `args`, and resolves with the tool's exit code. `beforeRun` checks what the tool needs (a database, say).
 */
export async function runWorkspaceCli({ pkg, entry, workspaces, args, beforeRun = async () => {} }) {
  if (!existsSync(path.join(ROOT, 'node_modules'))) console.error('» installing dependencies first (npm ci)');
  await ensureInstalled();
  await beforeRun();
  const built = path.join(ROOT, entry);
  if (isStale(built, workspaces)) {
    console.error(`» building ${pkg} (${existsSync(built) ? 'its sources changed since the last build' : 'not built yet'})`);
    await build(pkg);
  }
  return run(process.execPath, [built, ...args]);
}
