// npm run docs: writes .env.example, docs/configuration.md and docs/errors.md from the zod schemas and the error
// catalog (scripts/lib/reference-docs.mjs). `npm run docs -- --check` writes nothing and fails when one is stale.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureBuilt } from './lib/build.mjs';
import { ROOT } from './lib/env.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { runMain, say, warn } from './lib/log.mjs';

runMain(async () => {
  const check = process.argv.includes('--check');
  await ensureInstalled();
  await ensureBuilt(['@docprocessor/gateway', '@docprocessor/ingest', '@docprocessor/processor', '@docprocessor/cli'], { quiet: true });
  // Imported only now: it reads the built schemas, which a fresh clone does not have until the build above.
  const { DOCS_COMMAND, renderReferenceDocs } = await import('./lib/reference-docs.mjs');
  const stale = [];
  for (const [file, text] of Object.entries(renderReferenceDocs())) {
    const target = path.join(ROOT, file);
    if (existsSync(target) && readFileSync(target, 'utf8') === text) continue;
    stale.push(file);
    if (check) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  if (check && stale.length) {
    warn(`stale: ${stale.join(', ')}; run \`${DOCS_COMMAND}\` and commit the result`);
    return 1;
  }
  say(stale.length ? `wrote ${stale.join(', ')}` : 'the reference docs are up to date');
  return 0;
});
