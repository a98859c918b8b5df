// Builds through turbo, which replays unchanged packages from its cache, so this is quick when nothing changed.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './env.mjs';
import { say } from './log.mjs';
import { run, runOrFail } from './run.mjs';

/** turbo from node_modules (npx would try the network when it is missing); resolves with its exit code. */
export function turbo(args, { mustPass = true, env = process.env } = {}) {
  const local = path.join(ROOT, 'node_modules', '.bin', 'turbo');
  const [command, prefix] = existsSync(local) ? [local, []] : ['npx', ['turbo']];
  const quiet = { TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' };
  return (mustPass ? runOrFail : run)(command, [...prefix, ...args], { env: { ...env, ...quiet } });
}

/** Builds every workspace, or only the named ones and what they depend on. */
export function ensureBuilt(packages = [], { mustPass = true } = {}) {
  say(packages.length ? `building ${packages.join(', ')}` : 'building every workspace');
  // NODE_ENV says how the services run, not how they are built (`NODE_ENV=development vite build` makes a
  // development bundle), so the build tools pick their own.
  const { NODE_ENV, ...env } = process.env;
  const filters = packages.map((name) => `--filter=${name}...`);
  return turbo(['run', 'build', '--output-logs=new-only', ...filters], { mustPass, env });
}
