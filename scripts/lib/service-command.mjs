import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './env.mjs';

/**
 * The node arguments that start a service: its package.json may ask for V8 flags under `docprocessor.nodeArgs`
 * (the processor caps its heap there, which keeps its memory flat on long imports at little cost in speed).
 */
export function serviceArgs(name) {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'services', name, 'package.json'), 'utf8'));
  return [...(manifest.docprocessor?.nodeArgs ?? []), `services/${name}/dist/main.js`];
}
