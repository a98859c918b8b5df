import type { Job } from '@docprocessor/contracts';

const BAR_WIDTH = 24;
/** Without a terminal, one line per this many milliseconds at most (a log, not an animation). */
const PLAIN_EVERY_MS = 2000;

const bar = (fraction: number) => {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`;
};
const percent = (fraction: number) => `${Math.floor(fraction * 100)}%`.padStart(4);
const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);
export const count = (n: number) => n.toLocaleString('en-US');

/** The live lines on stderr: redrawn in place on a terminal, an occasional plain line otherwise. */
export class ProgressView {
  private lastPlain = 0;
  private drawn = false;

  constructor(private readonly out: NodeJS.WriteStream) {}

  uploaded(sent: number, total: number): void {
    const fraction = total ? sent / total : 1;
    this.show(`Uploading  ${bar(fraction)} ${percent(fraction)}  ${megabytes(sent)}/${megabytes(total)} MB`, sent === total);
  }

  processing(job: Job): void {
    const rate = job.rowsPerSecond ? `  ${count(Math.round(job.rowsPerSecond))} rows/s` : '';
    const eta = job.etaSeconds !== null && job.status === 'processing' ? `  ETA ${Math.ceil(job.etaSeconds)} s` : '';
    const rows = job.totalRows ? `${count(job.processedRows)}/${count(job.totalRows)}` : count(job.processedRows);
    const label = job.status === 'pending' ? 'Queued    ' : 'Importing ';
    this.show(`${label} ${bar(job.progress)} ${percent(job.progress)}  ${rows} rows${rate}${eta}`, false);
  }

  /** Ends the live line so what follows starts on its own. */
  end(): void {
    if (this.drawn && this.out.isTTY) this.out.write('\n');
    this.drawn = false;
  }

  private show(line: string, force: boolean): void {
    if (this.out.isTTY) {
      this.out.write(`\r${line}\x1b[K`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    if (!force && now - this.lastPlain < PLAIN_EVERY_MS) return;
    this.lastPlain = now;
    this.out.write(`${line}\n`);
  }
}
