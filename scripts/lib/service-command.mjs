import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './env.mjs';

/**
 * The V8 flags a service's package.json declares under `docprocessor.nodeFlags` (ingest and the gateway size
 * V8's heap this way; the README's Performance section says why). The testbed starts services with them too.
 */
export function nodeFlags(name) {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'services', name, 'package.json'), 'utf8'));
  return manifest.docprocessor?.nodeFlags ?? [];
}

/** The node arguments that start a service from the repository root: its flags, then its entry point. */
export function serviceArgs(name) {
  return [...nodeFlags(name), `services/${name}/dist/main.js`];
}
