import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './env.mjs';

/** What a service's package.json declares under `docprocessor`: how it is to be run. */
function runSettings(name) {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'services', name, 'package.json'), 'utf8'));
  return manifest.docprocessor ?? {};
}

/**
 * The V8 flags a service's package.json declares under `docprocessor.nodeFlags` (ingest and the gateway size
 * V8's heap this way; docs/performance.md says why). The testbed starts services with them too.
 */
export function nodeFlags(name) {
  return runSettings(name).nodeFlags ?? [];
}

/**
 * The environment a service's package.json declares under `docprocessor.env`, for settings of the runtime below
 * Node (ingest's glibc malloc: docs/performance.md, "Memory"); the service's own settings stay in its .env.
 */
export function runtimeEnv(name) {
  return runSettings(name).env ?? {};
}

/** The node arguments that start a service from the repository root: its flags, then its entry point. */
export function serviceArgs(name) {
  return [...nodeFlags(name), `services/${name}/dist/main.js`];
}
