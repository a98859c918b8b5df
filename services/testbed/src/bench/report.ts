import { median, type PipelineRun } from './measure.js';
import { MAIN_THREAD } from './cpu-accounting.js';

/** One measured figure: timed runs of one kind, each beside the `psql \copy` of its pair. */
export interface Figure {
  table: string;
  what: string;
  seconds: number[];
  /** The `psql \copy` times of the same pairs, the figure's yardstick. */
  copies: number[];
  /** Upload + store part of each run (from the first byte to ingest's 202). */
  uploads: number[];
  /** From the job's creation to a processor's claim of it (the job's createdAt to startedAt). */
  pickups: number[];
  /** From the processor's last commit to the `completed` event reaching the bench (finishedAt to the event). */
  tails: number[];
  cpu: Array<Map<string, number>>;
  /** The CPU of each run up to the upload's answer (a part of `cpu`). */
  uploadCpu: Array<Map<string, number>>;
  rows: number;
  megabytes: number;
}

export const newFigure = (table: string, what: string, rows: number, megabytes: number): Figure => ({
  table,
  what,
  seconds: [],
  copies: [],
  uploads: [],
  pickups: [],
  tails: [],
  cpu: [],
  uploadCpu: [],
  rows,
  megabytes,
});

/** Adds one pipeline run's time, upload time and CPU to its figure. */
export function recordRun(figure: Figure, run: PipelineRun): void {
  figure.seconds.push(run.seconds);
  figure.uploads.push(run.uploadSeconds);
  figure.pickups.push(run.pickupSeconds);
  figure.tails.push(run.tailSeconds);
  if (run.cpu) figure.cpu.push(run.cpu);
  if (run.uploadCpu) figure.uploadCpu.push(run.uploadCpu);
}

export const fmt = (seconds: number) => `${seconds.toFixed(2)} s`;

/** The memory goals, in its unit: megabytes of 10^6 bytes, where /proc counts kibibytes. */
export const RSS_GOALS_MB = { processor: 256, ingest: 128 } as const;

/** A peak RSS in both units, and whether it is within its goal in MB, so neither reading is left to the reader. */
export function rssText(service: keyof typeof RSS_GOALS_MB, mib: number | null): string {
  if (mib === null) return `${service} ?`;
  const mb = Math.round((mib * 2 ** 20) / 1e6);
  const goal = RSS_GOALS_MB[service];
  return `${service} ${mib} MiB = ${mb} MB (goal ≤ ${goal} MB: ${mb <= goal ? 'met' : 'NOT met'})`;
}
const perSecond = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString('en-US');

/** One line as the run goes: median, rows/s, MB/s and the ratio to `psql \copy` of the same pairs. */
export function figureLine(figure: Figure): string {
  const seconds = median(figure.seconds);
  const copy = median(figure.copies);
  const upload = figure.uploads.length
    ? `   (upload+store ${fmt(median(figure.uploads))}, pick-up ${fmt(median(figure.pickups))}, ` +
      `finish to event ${fmt(median(figure.tails))})`
    : '';
  return (
    `  ${figure.what.padEnd(46)} ${fmt(seconds).padStart(8)}   ${perSecond(figure.rows, seconds).padStart(9)} rows/s   ` +
    `${(figure.megabytes / seconds).toFixed(0).padStart(3)} MB/s   ratio ${(seconds / copy).toFixed(2)}${upload}`
  );
}

/** The summary as a markdown table, ready for docs/performance.md. */
export function summaryTable(figures: Figure[]): string {
  const lines = ['| table | run | `psql \\copy` | pipeline | rows/s | MB/s | ratio |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const f of figures) {
    const seconds = median(f.seconds);
    const copy = median(f.copies);
    lines.push(
      `| ${f.table} | ${f.what} | ${fmt(copy)} | ${fmt(seconds)} | ${perSecond(f.rows, seconds)} | ` +
        `${(f.megabytes / seconds).toFixed(0)} | **${(seconds / copy).toFixed(2)}** |`,
    );
  }
  return lines.join('\n');
}

/** All CPU of a run: the processor's main thread is a part of the processor's, so it is not counted again. */
const sumOf = (cpu: Map<string, number>) => [...cpu].reduce((sum, [name, seconds]) => (name === MAIN_THREAD ? sum : sum + seconds), 0);
/** Each group's CPU in `run` past what it had spent by `before`: a phase's share. */
const minus = (run: Map<string, number>, before: Map<string, number>) =>
  new Map([...run].map(([name, seconds]) => [name, seconds - (before.get(name) ?? 0)]));
/**
 * What one job cannot spread over more cores: the processor's JavaScript is one thread (its main thread; V8's
 * helper threads can run elsewhere), and its batches go through one PostgreSQL connection, one backend process
 * (the group also holds the services' pool backends, which do little).
 */
const SERIAL = [MAIN_THREAD, 'PostgreSQL backends'] as const;
const serialOf = (cpu: Map<string, number>) => Math.max(...SERIAL.map((name) => cpu.get(name) ?? 0));
const serialName = (cpu: Map<string, number>) => SERIAL.reduce((a, b) => ((cpu.get(a) ?? 0) >= (cpu.get(b) ?? 0) ? a : b));

/**
 * Median CPU seconds per process group over a figure's runs, split at the upload's answer, and what that says about
 * more cores. The upload is stored before processing starts, so each phase takes at least its CPU / N on N cores, and
 * processing at least its serial part's CPU (SERIAL). The bound "if the upload overlapped processing" is the larger of
 * that serial part and all CPU / N. Bounds, not forecasts.
 */
export function cpuTable(figure: Figure): string {
  const names = [...new Set(figure.cpu.flatMap((m) => [...m.keys()]))];
  const perName = names
    .map((name) => ({ name, seconds: median(figure.cpu.map((m) => m.get(name) ?? 0)) }))
    .sort((a, b) => b.seconds - a.seconds);
  const total = perName.reduce((sum, p) => (p.name === MAIN_THREAD ? sum : sum + p.seconds), 0);
  const wall = median(figure.seconds);
  const medians = new Map(perName.map((p) => [p.name, p.seconds]));
  const serial = serialOf(medians);
  const serialIs = serialName(medians) === MAIN_THREAD ? "the processor's main thread's" : "PostgreSQL's";
  const lines = [`  CPU per run, ${figure.table}, ${figure.what} (median of ${figure.cpu.length}; wall ${fmt(wall)}):`];
  const mainThread = medians.get(MAIN_THREAD);
  for (const p of perName) {
    if (p.name === MAIN_THREAD) continue;
    lines.push(`    ${p.name.padEnd(28)} ${fmt(p.seconds).padStart(8)}   ${((100 * p.seconds) / total).toFixed(0).padStart(3)}%`);
    if (p.name === 'processor' && mainThread !== undefined)
      lines.push(
        `    ${'  of which its main thread'.padEnd(28)} ${fmt(mainThread).padStart(8)}   ` +
          `(V8's helper threads ${fmt(p.seconds - mainThread)})`,
      );
  }
  lines.push(`    ${'all'.padEnd(28)} ${fmt(total).padStart(8)}   = ${(total / wall).toFixed(2)} cores busy on average`);
  if (figure.uploadCpu.length === figure.cpu.length && figure.cpu.length > 0) {
    const upload = median(figure.uploadCpu.map(sumOf));
    const uploadWall = median(figure.uploads);
    const processingCpu = figure.cpu.map((run, i) => minus(run, figure.uploadCpu[i]!));
    const processing = median(processingCpu.map(sumOf));
    const processingSerial = median(processingCpu.map(serialOf));
    lines.push(
      `    upload+store ${fmt(upload)} CPU in ${fmt(uploadWall)} = ${(upload / uploadWall).toFixed(2)} cores busy; ` +
        `processing ${fmt(processing)} CPU in ${fmt(wall - uploadWall)} = ${(processing / (wall - uploadWall)).toFixed(2)} cores busy`,
    );
    const phased = (cores: number) => upload / cores + Math.max(processingSerial, processing / cores);
    lines.push(
      `    lower bound on wall with 4 cores ${fmt(phased(4))}, with 8 cores ${fmt(phased(8))} ` +
        `(each phase: its CPU / cores, and processing at least ${serialIs} ${fmt(processingSerial)})`,
    );
  }
  const overlapped = (cores: number) => Math.max(serial, total / cores);
  lines.push(
    `    if the upload overlapped processing: with 2 cores ${fmt(overlapped(2))}, 4 cores ${fmt(overlapped(4))}, ` +
      `8 cores ${fmt(overlapped(8))} (the larger of ${serialIs} CPU and all CPU / cores)`,
  );
  return lines.join('\n');
}
