// Builds through turbo, which replays unchanged packages from its cache, so this is quick when nothing changed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './env.mjs';
import { say } from './log.mjs';
import { run, runOrFail } from './run.mjs';

/** turbo from node_modules (npx would try the network when it is missing); resolves with its exit code. */
export function turbo(args, { mustPass = true, env = process.env, quiet = false } = {}) {
  const local = path.join(ROOT, 'node_modules', '.bin', 'turbo');
  const [command, prefix] = existsSync(local) ? [local, []] : ['npx', ['turbo']];
  const silenced = { TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' };
  return (mustPass ? runOrFail : run)(command, [...prefix, ...args], { env: { ...env, ...silenced }, quiet });
}

/**
 * Builds every workspace, or only the named ones and what they depend on. `quiet`: says nothing unless the build
 * fails (the scripts build the contracts this way before they read their configuration).
 */
export function ensureBuilt(packages = [], { mustPass = true, quiet = false } = {}) {
  if (!quiet) say(packages.length ? `building ${packages.join(', ')}` : 'building every workspace');
  // NODE_ENV says how the services run, not how they are built (`NODE_ENV=development vite build` makes a
  // development bundle), so the build tools pick their own.
  const { NODE_ENV, ...env } = process.env;
  const filters = packages.map((name) => `--filter=${name}...`);
  const logs = quiet ? '--output-logs=errors-only' : '--output-logs=new-only';
  return turbo(['run', 'build', logs, ...filters], { mustPass, env, quiet });
}
