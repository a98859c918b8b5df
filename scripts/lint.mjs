// npm run lint: Biome (format and lint rules, biome.jsonc), no line over MAX_LINE characters (Biome leaves long
// strings and comments as they are), and the TypeScript compiler over every workspace. `-- --fix` lets Biome
// rewrite what it can first.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { turbo } from './lib/build.mjs';
import { ROOT } from './lib/env.mjs';
import { ensureInstalled } from './lib/install.mjs';
import { runMain, say, warn } from './lib/log.mjs';
import { run } from './lib/run.mjs';

const MAX_LINE = 140;
const CHECKED = ['*.ts', '*.tsx', '*.mjs', '*.js', '*.css'];

function longLines() {
  const files = execFileSync('git', ['ls-files', '--', ...CHECKED], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  return files.flatMap((file) =>
    readFileSync(path.join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, index) => (line.length > MAX_LINE ? [`${file}:${index + 1} (${line.length} characters)`] : [])),
  );
}

runMain(async () => {
  await ensureInstalled();
  const biome = path.join(ROOT, 'node_modules', '.bin', 'biome');
  if (process.argv.includes('--fix')) await run(biome, ['check', '--write', '.']);
  const failures = [];
  if ((await run(biome, ['ci', '.'])) !== 0) failures.push('biome');
  const long = longLines();
  if (long.length) {
    warn(`${long.length} line(s) over ${MAX_LINE} characters:\n  ${long.join('\n  ')}`);
    failures.push('line length');
  }
  if ((await turbo(['run', 'typecheck', '--output-logs=errors-only'], { mustPass: false })) !== 0) failures.push('typecheck');
  if (failures.length) {
    warn(`lint failed: ${failures.join(', ')}`);
    return 1;
  }
  say('lint passed: biome, line length, typecheck');
  return 0;
});
