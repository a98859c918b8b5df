import { join } from 'node:path';
import type { Stack } from '../stack.js';
import type { Target } from './bench-tables.js';
import { generateContacts } from './generate-contacts.js';
import { median, psql, psqlValue, settle, timePipeline, type PipelineRun } from './measure.js';
import { figureLine, recordRun, type Figure } from './report.js';

export interface UpdatePathRun {
  target: Target;
  rows: number;
  pairs: number;
  /** Where the half-changed twin of the main file is written. */
  dir: string;
  /** The realistic file, which the table is filled with first. */
  main: { path: string };
  /** A figure of this table for the main file. */
  figureOf: (what: string) => Figure;
  /** Throws unless the run wrote every row. */
  check: (run: PipelineRun, what: string) => PipelineRun;
  /** `psql \copy` of the main file into the copy table, timed. */
  copy: () => Promise<number>;
}

const NO_BEFORE_IMAGES = 'bench_no_before_images';

/** Drops the rule a run without before-images adds, should an interrupted bench have left it in a kept database. */
export const dropBenchRule = (databaseUrl: string) => psql(databaseUrl, `drop rule if exists ${NO_BEFORE_IMAGES} on import_before_images`);

/**
 * The update path (onDuplicate=last, every key present), with before-images as the product keeps them, and without:
 * a rule the bench adds only for those runs turns the before-image INSERT into nothing, so PostgreSQL skips the
 * statement and the processor's code stays as it is. Two files: the one the table holds, again (nothing changes, so
 * nothing is rewritten or imaged), and one with half the rows changed: the main file and its half-changed twin take
 * turns, so every such run changes half the rows, and the bench checks each kept exactly that many images. Then the
 * unchanged re-import once more as the upload form sends it by default (onDuplicate=error), which the ratio goal is
 * not measured on but a user meets first.
 */
export async function measureUpdatePath(stack: Stack, run: UpdatePathRun): Promise<Figure[]> {
  const { target, rows, pairs, dir, main, figureOf, check, copy: timedCopy } = run;
  const url = target.databaseUrl;
  const fields = { onDuplicate: 'last' };
  const halfPath = join(dir, `realistic-half-changed-${rows}.csv`);
  await generateContacts(halfPath, { rows, invalidFraction: 0, style: 'realistic', changeEvenIds: true });
  const twin = { path: halfPath };
  const changedRows = Math.floor(rows / 2);
  const kind = (what: string) => ({
    what,
    kept: figureOf(`update path, ${what} (before-images kept)`),
    off: figureOf(`update path, ${what} (before-images off)`),
  });
  const kinds = [kind('unchanged'), kind('half changed')];
  // What a user gets who re-imports with the form's defaults (onDuplicate=error), before-images kept as the product keeps them.
  const asDefault = figureOf('update path, unchanged, onDuplicate=error (the default)');
  let holds: { path: string } = main; // the file whose values the table holds
  check(await timePipeline(stack, main.path, { fields }), 'first import before the updates');
  for (let i = 0; i < pairs; i++) {
    const copy = await timedCopy();
    for (const [n, kind] of kinds.entries()) {
      for (const figure of (i + n) % 2 ? [kind.off, kind.kept] : [kind.kept, kind.off]) {
        const off = figure === kind.off;
        const file = n === 0 ? holds : holds === main ? twin : main;
        await psql(url, 'truncate import_before_images');
        if (off) await psql(url, `create rule ${NO_BEFORE_IMAGES} as on insert to import_before_images do instead nothing`);
        await settle(url);
        try {
          figure.copies.push(copy);
          recordRun(figure, check(await timePipeline(stack, file.path, { cpu: true, fields }), figure.what));
        } finally {
          if (off) await psql(url, `drop rule ${NO_BEFORE_IMAGES} on import_before_images`);
        }
        holds = file;
        const images = Number(await psqlValue(url, 'select coalesce(sum(row_count), 0) from import_before_images'));
        const expected = off || n === 0 ? 0 : changedRows;
        if (images !== expected) throw new Error(`${figure.what}: before-images of ${images} rows, expected ${expected}`);
      }
    }
    await psql(url, 'truncate import_before_images');
    await settle(url);
    asDefault.copies.push(copy);
    recordRun(asDefault, check(await timePipeline(stack, holds.path, { cpu: true }), asDefault.what));
  }
  await psql(url, 'truncate import_before_images');
  await target.resetContacts();
  const figures: Figure[] = [];
  for (const kind of kinds) {
    console.log(figureLine(kind.kept));
    console.log(figureLine(kind.off));
    console.log(`    ${kind.what}: before-images kept / off: ${(median(kind.kept.seconds) / median(kind.off.seconds)).toFixed(2)}`);
    figures.push(kind.kept, kind.off);
  }
  console.log(figureLine(asDefault));
  const onDuplicateLast = median(kinds[0]!.kept.seconds);
  console.log(
    `    unchanged: onDuplicate=error / last (both with before-images kept): ${(median(asDefault.seconds) / onDuplicateLast).toFixed(2)}`,
  );
  figures.push(asDefault);
  return figures;
}
