import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FORMULA_CELL } from '../src/excel-parts.js';

describe('exceljs, loaded with the first workbook', () => {
  it('names formula cells as exceljs does', () => {
    const exceljs = createRequire(import.meta.url)('exceljs') as { ValueType: { Formula: number } };
    expect(FORMULA_CELL).toBe(exceljs.ValueType.Formula);
  });

  // Two node processes compiling TypeScript with tsx: seconds each on a busy 2-core machine.
  it('is not loaded by importing the package, only by reading a workbook', { timeout: 60_000 }, () => {
    // A process of its own: this one has loaded exceljs already (the test above, and the helpers).
    const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
    const loaded = (afterRead: boolean) =>
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `import { createRequire } from 'node:module';
           import { Readable } from 'node:stream';
           const { readSheet } = await import(${JSON.stringify(entry)});
           if (${afterRead}) await readSheet(Readable.from([Buffer.from('not a zip')]), { sheet: null }).rows.next().catch(() => {});
           const cache = createRequire(import.meta.url).cache;
           console.log(Object.keys(cache).some((path) => path.includes('/exceljs/')));`,
        ],
        { encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) },
      ).trim();
    expect(loaded(false)).toBe('false');
    expect(loaded(true)).toBe('true');
  });
});
