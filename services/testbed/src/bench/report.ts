import { median } from './measure.js';

/** One measured figure: timed runs of one kind, each beside the `psql \copy` of its pair. */
export interface Figure {
  table: string;
  what: string;
  seconds: number[];
  /** The `psql \copy` times of the same pairs, the figure's yardstick. */
  copies: number[];
  /** Upload + store part of each run (from the first byte to ingest's 202). */
  uploads: number[];
  cpu: Array<Map<string, number>>;
  rows: number;
  megabytes: number;
}

export const fmt = (seconds: number) => `${seconds.toFixed(2)} s`;
const perSecond = (count: number, seconds: number) => Math.round(count / seconds).toLocaleString('en-US');

/** One line as the run goes: median, rows/s, MB/s and the ratio to `psql \copy` of the same pairs. */
export function figureLine(figure: Figure): string {
  const seconds = median(figure.seconds);
  const copy = median(figure.copies);
  const upload = figure.uploads.length ? `   (upload+store ${fmt(median(figure.uploads))})` : '';
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

/**
 * Median CPU seconds per process group over a figure's runs, and what that says about more cores: with N cores a run
 * takes at least the processor's CPU (its JavaScript is one thread, and one job runs on one processor) and at least
 * all CPU / N. A bound, not a forecast: the upload is stored before processing starts, so the two do not overlap.
 */
export function cpuTable(figure: Figure): string {
  const names = [...new Set(figure.cpu.flatMap((m) => [...m.keys()]))];
  const perName = names
    .map((name) => ({ name, seconds: median(figure.cpu.map((m) => m.get(name) ?? 0)) }))
    .sort((a, b) => b.seconds - a.seconds);
  const total = perName.reduce((sum, p) => sum + p.seconds, 0);
  const wall = median(figure.seconds);
  const processor = perName.find((p) => p.name === 'processor')?.seconds ?? 0;
  const lines = [`  CPU per run, ${figure.table}, ${figure.what} (median of ${figure.cpu.length}; wall ${fmt(wall)}):`];
  for (const p of perName)
    lines.push(`    ${p.name.padEnd(28)} ${fmt(p.seconds).padStart(8)}   ${((100 * p.seconds) / total).toFixed(0).padStart(3)}%`);
  lines.push(`    ${'all'.padEnd(28)} ${fmt(total).padStart(8)}   = ${(total / wall).toFixed(2)} cores busy on average`);
  const bound = (cores: number) => Math.max(processor, total / cores);
  lines.push(
    `    lower bound on wall with 4 cores ${fmt(bound(4))}, with 8 cores ${fmt(bound(8))} ` +
      `(the larger of the processor's CPU and all CPU / cores)`,
  );
  return lines.join('\n');
}
