import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './env.mjs';

/**
 * The node arguments that start a service: the V8 flags its package.json declares under
 * `docprocessor.nodeFlags` (ingest and the gateway size V8's heap this way; the README's Performance
 * section says why), then its entry point. The testbed reads the same field (services/testbed/src/stack.ts).
 */
export function serviceArgs(name) {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'services', name, 'package.json'), 'utf8'));
  return [...(manifest.docprocessor?.nodeFlags ?? []), `services/${name}/dist/main.js`];
}
