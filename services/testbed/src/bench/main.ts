import { existsSync, mkdirSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, Stack, stopProcess } from '../stack.js';
import { generateContacts } from './generate-contacts.js';
import { emptyContacts, median, peakRssMiB, settle, timePipeline, timePsqlCopy, timeTogether, type PipelineRun } from './measure.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    pairs: { type: 'string', default: '3' },
    invalid: { type: 'string', default: '0.01' },
    'skip-extra': { type: 'boolean', default: false },
  },
});
const rows = Number(args.rows);
const pairs = Math.max(1, Number(args.pairs));
const dir = join(REPO_ROOT, '.bench');
mkdirSync(dir, { recursive: true });

async function file(name: string, invalidFraction: number, firstId = 1): Promise<{ path: string; invalid: number }> {
  const path = join(dir, `${name}-${rows}.csv`);
  const stats = await generateContacts(path, { rows, invalidFraction, firstId });
  return { path, invalid: stats.invalid };
}

const fmt = (s: number) => `${s.toFixed(2)} s`;
const rate = (s: number) => `${Math.round(rows / s).toLocaleString('en-US')} rows/s`;

const valid = await file('contacts-valid', 0);
const sizeMB = statSync(valid.path).size / 1e6;
console.log(
  `DocProcessor bench — ${rows.toLocaleString('en-US')} contacts rows, ${sizeMB.toFixed(0)} MB, ` +
    `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${new Date().toISOString()}`,
);

// The services' own defaults, as under `npm start`, but for the upload limit: 10M rows make a file over 1 GiB.
const stack = await Stack.start({ label: 'bench', env: { MAX_UPLOAD_BYTES: String(4 * 2 ** 30) } });
try {
  await stack.processorsReady();
  // Not counted: the first import after a start runs while V8 is still compiling the hot paths of every service.
  await timePsqlCopy(stack.databaseUrl, valid.path);
  await emptyContacts(stack.databaseUrl);
  const warmUp = await timePipeline(stack, valid.path);
  console.log(`  warm-up (not counted): pipeline ${fmt(warmUp.seconds)}`);
  const copies: number[] = [];
  const runs: PipelineRun[] = [];
  for (let i = 0; i < pairs; i++) {
    copies.push(await timePsqlCopy(stack.databaseUrl, valid.path));
    await emptyContacts(stack.databaseUrl);
    const run = await timePipeline(stack, valid.path);
    if (run.job.successRows !== rows) throw new Error(`expected ${rows} rows, job says ${run.job.successRows}`);
    runs.push(run);
    console.log(
      `  pair ${i + 1}: psql \\copy ${fmt(copies.at(-1)!)}   pipeline ${fmt(run.seconds)} (upload+store ${fmt(run.uploadSeconds)})`,
    );
  }
  const copy = median(copies);
  const pipeline = median(runs.map((r) => r.seconds));
  const upload = median(runs.map((r) => r.uploadSeconds));
  console.log('');
  console.log(`psql \\copy          ${fmt(copy)}   ${rate(copy)}   ${(sizeMB / copy).toFixed(0)} MB/s`);
  console.log(`pipeline (new rows)  ${fmt(pipeline)}   ${rate(pipeline)}   ${(sizeMB / pipeline).toFixed(0)} MB/s`);
  console.log(`  stages: upload+store ${fmt(upload)}, parse+validate+write ${fmt(pipeline - upload)}`);
  const stages = stack
    .logs('processor')
    .match(/"waitingForDatabaseMs":(\d+)/g)
    ?.map((m) => Number(m.split(':')[1]));
  if (stages?.length) console.log(`  processor waited on the database ${fmt(median(stages) / 1000)} of that (median)`);

  if (!args['skip-extra']) {
    await settle(stack.databaseUrl);
    const reimport = await timePipeline(stack, valid.path);
    console.log(`re-import (updates)  ${fmt(reimport.seconds)}   ratio ${(reimport.seconds / copy).toFixed(2)}`);
    const broken = await file('contacts-invalid', Number(args.invalid));
    await emptyContacts(stack.databaseUrl);
    const withErrors = await timePipeline(stack, broken.path);
    const exact = withErrors.job.failedRows === broken.invalid && withErrors.job.successRows === rows - broken.invalid;
    console.log(
      `with ${broken.invalid} invalid rows  ${fmt(withErrors.seconds)}   ratio ${(withErrors.seconds / copy).toFixed(2)}   ` +
        `counts ${exact ? 'exact' : `WRONG: ${withErrors.job.failedRows} failed`}`,
    );
    if (!exact) process.exitCode = 1;
  }
  const processor = stack.services.find((s) => s.name === 'processor');
  const ingest = stack.services.find((s) => s.name === 'ingest');
  console.log(`peak RSS: processor ${peakRssMiB(processor?.child.pid)} MiB, ingest ${peakRssMiB(ingest?.child.pid)} MiB`);
  if (!args['skip-extra']) {
    // A small file uploaded while a large one is being processed, on the one processor (PROCESSOR_CONCURRENCY jobs at once).
    const small = join(dir, 'contacts-small-1000.csv');
    await generateContacts(small, { rows: 1000, invalidFraction: 0, firstId: 2 * rows + 1 });
    await emptyContacts(stack.databaseUrl);
    const large = timePipeline(stack, valid.path);
    await new Promise((resolve) => setTimeout(resolve, Math.min(3000, (pipeline * 1000) / 3)));
    const smallRun = await timePipeline(stack, small);
    const largeRun = await large;
    console.log(`1,000 rows during a large import  ${fmt(smallRun.seconds)}   (the large one took ${fmt(largeRun.seconds)})`);

    // Two large files with keys apart, uploaded at once, on two processors that take one job each (so the two
    // files do not share one JavaScript thread).
    // Both processors are new, so a round of the two files at once warms them up first (not counted).
    const other = await file('contacts-other', 0, rows + 1);
    await Promise.all(stack.services.filter((s) => s.name === 'processor').map((s) => stopProcess(s.child)));
    stack.spawn('processor', { PROCESSOR_CONCURRENCY: '1' });
    stack.spawn('processor', { PROCESSOR_CONCURRENCY: '1' });
    await stack.processorsReady();
    const both = [valid.path, other.path];
    await emptyContacts(stack.databaseUrl);
    await timeTogether(stack, both);
    let sum = 0;
    for (const path of both) {
      await emptyContacts(stack.databaseUrl);
      sum += (await timePipeline(stack, path)).seconds;
    }
    await emptyContacts(stack.databaseUrl);
    const together = await timeTogether(stack, both);
    console.log(`two large files at once, two processors  ${fmt(together)}   (${fmt(sum)} one after the other)`);
  }
  console.log('');
  console.log(`ratio pipeline / psql \\copy (median of ${pairs} pairs): ${(pipeline / copy).toFixed(2)}`);
} finally {
  await stack.stop();
}
if (!existsSync(valid.path)) process.exitCode = 1;
