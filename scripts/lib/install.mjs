// Dependencies: installed on a fresh clone, reinstalled when package-lock.json changed since the last install.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './env.mjs';
import { say } from './log.mjs';
import { runOrFail } from './run.mjs';

export async function ensureInstalled() {
  const lock = path.join(ROOT, 'package-lock.json');
  // npm rewrites this copy of the lock inside node_modules on every install.
  const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
  if (!existsSync(lock)) {
    say('no package-lock.json: running npm install');
    return runOrFail('npm', ['install']);
  }
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  say(existsSync(installed) ? 'package-lock.json changed: running npm ci' : 'installing dependencies: npm ci');
  await runOrFail('npm', ['ci']);
}
