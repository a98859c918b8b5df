import { mkdirSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MAX_UPLOAD_BYTES } from '@docprocessor/contracts';
import { nodeFlags, runtimeEnv } from '../../../../scripts/lib/service-command.mjs';
import { REPO_ROOT, Stack, stopProcess } from '../stack.js';
import { emptyTarget, keptTarget, type Target } from './bench-tables.js';
import { generateContacts, type FileStyle } from './generate-contacts.js';
import { median, peakRssMiB, psql, psqlValue, settle, timePipeline, timePsqlCopy, timeTogether, type PipelineRun } from './measure.js';
import { cpuTable, figureLine, fmt, newFigure, recordRun, rssText, summaryTable, type Figure } from './report.js';
import { measureSocketFanout } from './socket-fanout.js';
import { dropBenchRule, measureUpdatePath } from './update-path.js';
import { measureUserTemplate } from './user-template.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    pairs: { type: 'string', default: '3' },
    cases: { type: 'string', default: 'classic,realistic,realistic-crlf' },
    tables: { type: 'string', default: 'empty,existing' },
    existing: { type: 'string', default: '10000000' },
    invalid: { type: 'string', default: '0.01' },
    'skip-extra': { type: 'boolean', default: false },
    // The live-sockets scenario: `--sockets 0` skips it, `--only sockets` runs nothing else.
    sockets: { type: 'string', default: '1000' },
    'socket-rows': { type: 'string', default: '300000' },
    only: { type: 'string' },
  },
});
const rows = Number(args.rows);
const pairs = Math.max(1, Number(args.pairs));
const existing = Number(args.existing);
const dir = join(REPO_ROOT, '.bench');
mkdirSync(dir, { recursive: true });
const sockets = () => measureSocketFanout({ clients: Number(args.sockets), rows: Number(args['socket-rows']), dir });
if (args.only === 'sockets') process.exit((await sockets()) ? 0 : 1);

/** The files a run can measure; `realistic` is the one the issue's goals are about, and the update path uses it. */
const CASES: Record<string, { file: string; style: FileStyle; lineEnd: '\n' | '\r\n' }> = {
  classic: { file: 'contacts-valid', style: 'classic', lineEnd: '\n' },
  realistic: { file: 'realistic', style: 'realistic', lineEnd: '\n' },
  'realistic-crlf': { file: 'realistic-crlf', style: 'realistic', lineEnd: '\r\n' },
};
const MAIN = 'realistic';
const cases = args.cases.split(',').filter((name) => name in CASES);
if (!cases.includes(MAIN)) cases.push(MAIN);

interface CaseFile {
  name: string;
  path: string;
  megabytes: number;
}

async function caseFile(name: string): Promise<CaseFile> {
  const { file, style, lineEnd } = CASES[name]!;
  const path = join(dir, `${file}-${rows}.csv`);
  await generateContacts(path, { rows, invalidFraction: 0, style, lineEnd });
  return { name, path, megabytes: statSync(path).size / 1e6 };
}

const files = new Map<string, CaseFile>();
for (const name of cases) files.set(name, await caseFile(name));
const main = files.get(MAIN)!;
const biggest = Math.max(...[...files.values()].map((f) => f.megabytes * 1e6));
// The services' own defaults, as under `npm start`; only a file over the upload limit makes the bench raise it.
const serviceEnv: Record<string, string> = biggest > DEFAULT_MAX_UPLOAD_BYTES ? { MAX_UPLOAD_BYTES: String(4 * 2 ** 30) } : {};

console.log(
  `DocProcessor bench — ${rows.toLocaleString('en-US')} contacts rows per file, ${cpus().length} cores, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB, ${new Date().toISOString()}`,
);
for (const f of files.values()) console.log(`  file ${f.name}: ${f.megabytes.toFixed(0)} MB`);
const services = ['ingest', 'gateway', 'processor'];
const flags = Object.fromEntries(services.map((name) => [name, nodeFlags(name)]));
const runtime = Object.fromEntries(services.map((name) => [name, runtimeEnv(name)]));
const extra = Object.keys(serviceEnv).length ? `, and ${JSON.stringify(serviceEnv)}` : '';
console.log(
  `  services as \`npm start\` runs them: their own defaults, node flags ${JSON.stringify(flags)}, ` +
    `runtime env ${JSON.stringify(runtime)}; the bench sets only database, NATS names, ports and the API key${extra}`,
);

const figures: Figure[] = [];
const figureOf = (target: Target, what: string, file: CaseFile): Figure => newFigure(target.label, what, rows, file.megabytes);

function checkRows(run: PipelineRun, what: string): PipelineRun {
  if (run.job.successRows !== rows || run.job.failedRows !== 0)
    throw new Error(`${what}: expected ${rows} rows, job says ${run.job.successRows} written, ${run.job.failedRows} failed`);
  return run;
}

async function timedCopy(target: Target, file: CaseFile): Promise<number> {
  const seconds = await timePsqlCopy(target.databaseUrl, file.path, target.copyTable);
  await target.resetCopy();
  return seconds;
}

/** New rows: per case, pairs of `psql \copy` and the pipeline; for the main file also atomic=true in the same pairs. */
async function measureNewRows(stack: Stack, target: Target): Promise<void> {
  for (const name of cases) {
    const file = files.get(name)!;
    const plain = figureOf(target, `new rows, ${name}`, file);
    const atomic = name === MAIN ? figureOf(target, `new rows, ${name}, atomic=true`, file) : null;
    for (let i = 0; i < pairs; i++) {
      const copy = await timedCopy(target, file);
      plain.copies.push(copy);
      recordRun(plain, checkRows(await timePipeline(stack, file.path, { cpu: true }), plain.what));
      await target.resetContacts();
      if (atomic) {
        atomic.copies.push(copy);
        recordRun(atomic, checkRows(await timePipeline(stack, file.path, { cpu: true, fields: { atomic: 'true' } }), atomic.what));
        await target.resetContacts();
      }
    }
    for (const figure of atomic ? [plain, atomic] : [plain]) {
      console.log(figureLine(figure));
      figures.push(figure);
    }
    if (atomic) console.log(`    atomic=true / default: ${(median(atomic.seconds) / median(plain.seconds)).toFixed(2)}`);
  }
}

const ratio = (figure: Figure) => median(figure.seconds) / median(figure.copies);

/** The issue's yardstick for user templates: their ratio to `psql \copy` beside contacts' in the same table. */
async function measureOwnTemplate(stack: Stack, target: Target): Promise<void> {
  const own = await measureUserTemplate(stack, {
    databaseUrl: target.databaseUrl,
    label: target.label,
    rows,
    pairs,
    dir,
    check: checkRows,
  });
  console.log(figureLine(own));
  for (const contacts of figures.filter((f) => f.table === target.label && f.what.startsWith('new rows,') && !f.what.includes('atomic'))) {
    const file = contacts.what.slice('new rows, '.length);
    console.log(`    user template / contacts (${file}), ratio to ratio: ${(ratio(own) / ratio(contacts)).toFixed(2)}`);
  }
  figures.push(own);
}

/** Not part of the ratios: a run with invalid rows (counts checked), a small file during a large one, two at once. */
async function measureExtras(stack: Stack, target: Target): Promise<void> {
  const brokenPath = join(dir, `realistic-invalid-${rows}.csv`);
  const broken = await generateContacts(brokenPath, { rows, invalidFraction: Number(args.invalid), style: 'realistic' });
  const withErrors = await timePipeline(stack, brokenPath);
  await target.resetContacts();
  const exact = withErrors.job.failedRows === broken.invalid && withErrors.job.successRows === rows - broken.invalid;
  console.log(
    `  with ${broken.invalid} invalid rows  ${fmt(withErrors.seconds)}   ` +
      `counts ${exact ? 'exact' : `WRONG: ${withErrors.job.failedRows} failed`}`,
  );
  if (!exact) process.exitCode = 1;

  const small = join(dir, 'contacts-small-1000.csv');
  await generateContacts(small, { rows: 1000, invalidFraction: 0, firstId: 2 * rows + 1, style: 'realistic' });
  const large = timePipeline(stack, main.path);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const smallRun = await timePipeline(stack, small);
  const largeRun = await large;
  await target.resetContacts();
  console.log(`  1,000 rows during a large import  ${fmt(smallRun.seconds)}   (the large one took ${fmt(largeRun.seconds)})`);

  // Two files with keys apart on two processors that take one job each; a first round warms the new processors up.
  const otherPath = join(dir, `realistic-other-${rows}.csv`);
  await generateContacts(otherPath, { rows, invalidFraction: 0, firstId: rows + 1, style: 'realistic' });
  await Promise.all(stack.services.filter((s) => s.name === 'processor').map((s) => stopProcess(s.child)));
  stack.spawn('processor', { PROCESSOR_CONCURRENCY: '1' });
  stack.spawn('processor', { PROCESSOR_CONCURRENCY: '1' });
  await stack.processorsReady();
  const both = [main.path, otherPath];
  await timeTogether(stack, both);
  await target.resetContacts();
  let sum = 0;
  for (const path of both) {
    sum += (await timePipeline(stack, path)).seconds;
    await target.resetContacts();
  }
  const together = await timeTogether(stack, both);
  await target.resetContacts();
  console.log(`  two large files at once, two processors  ${fmt(together)}   (${fmt(sum)} one after the other)`);
}

/** Every figure into one table: `kept` (the database kept between runs), or else an empty table in a fresh database. */
async function measureTarget(kept: Target | null): Promise<void> {
  const stack = await Stack.start({ label: 'bench', asStarted: true, databaseUrl: kept?.databaseUrl, env: serviceEnv });
  try {
    const into = kept ?? (await emptyTarget(stack.databaseUrl));
    console.log('');
    console.log(`Into the ${into.label} (database ${new URL(into.databaseUrl).pathname.slice(1)}):`);
    await stack.processorsReady();
    await dropBenchRule(into.databaseUrl);
    // Not counted: the first import after a start runs while V8 is still compiling the hot paths of every service.
    await timedCopy(into, main);
    const warmUp = await timePipeline(stack, main.path);
    await into.resetContacts();
    console.log(`  warm-up (not counted): pipeline ${fmt(warmUp.seconds)}`);
    await measureNewRows(stack, into);
    const updates = await measureUpdatePath(stack, {
      target: into,
      rows,
      pairs,
      dir,
      main,
      figureOf: (what) => figureOf(into, what, main),
      check: checkRows,
      copy: () => timedCopy(into, main),
    });
    figures.push(...updates);
    await measureOwnTemplate(stack, into);
    const processor = stack.services.find((s) => s.name === 'processor');
    const ingest = stack.services.find((s) => s.name === 'ingest');
    console.log(
      `  peak RSS: ${rssText('processor', peakRssMiB(processor?.child.pid))}, ${rssText('ingest', peakRssMiB(ingest?.child.pid))}`,
    );
    const accounted = [
      `new rows, ${MAIN}`,
      ...['kept', 'off'].map((images) => `update path, half changed (before-images ${images})`),
      'update path, unchanged, onDuplicate=error (the default)',
    ];
    for (const figure of figures.filter((f) => f.table === into.label && accounted.includes(f.what))) console.log(cpuTable(figure));
    if (!args['skip-extra'] && !kept) await measureExtras(stack, into);
  } finally {
    await stack.stop();
  }
}

const tables = args.tables.split(',');
if (tables.includes('empty')) await measureTarget(null);
if (tables.includes('existing') && existing > 0) {
  const baseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  console.log('');
  console.log(`Preparing the ${existing.toLocaleString('en-US')}-row table (kept between runs; made only when missing)…`);
  const { target, builtSeconds } = await keptTarget(baseUrl, existing);
  console.log(builtSeconds === null ? '  found it from an earlier run' : `  made it in ${fmt(builtSeconds)}`);
  await measureTarget(target);
}

console.log('');
console.log(`Summary (median of ${pairs} alternating pairs after a warm-up; ratio = pipeline / psql \\copy of the same pairs):`);
console.log(summaryTable(figures));
if (Number(args.sockets) > 0 && !(await sockets())) process.exitCode = 1;
