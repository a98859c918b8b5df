import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './env.mjs';

/**
 * The node arguments that start a service: the V8 flags its package.json declares under
 * `docprocessor.nodeFlags` (ingest bounds its young generation this way; see its package.json), then its
 * entry point. The testbed reads the same field (services/testbed/src/stack.ts).
 */
export function serviceArgs(name) {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'services', name, 'package.json'), 'utf8'));
  return [...(manifest.docprocessor?.nodeFlags ?? []), `services/${name}/dist/main.js`];
}
