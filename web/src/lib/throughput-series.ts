import { isTerminal, type Job } from '@docprocessor/contracts';
import { throughputOf } from './job-timing';

/** What one progress event said: when (server time, ms since the epoch) and how many rows were processed by then. */
export interface ProgressSample {
  at: number;
  rows: number;
}

/** The rate over one stretch of the run, drawn at the stretch's end. */
export interface ThroughputPoint {
  /** Seconds since the first sample (`startSecond` seconds into the run: the page may have opened late). */
  seconds: number;
  rowsPerSecond: number;
}

/**
 * `measured`: rates between the progress events the page received. `average`: the job ended before the page saw it
 * run, so only its average over the run is known (a flat line). `none`: nothing to draw yet.
 */
export type ThroughputSeries =
  | { kind: 'measured'; points: ThroughputPoint[]; seconds: number; peak: number; average: number; startSecond: number }
  | { kind: 'average'; seconds: number; average: number }
  | { kind: 'none' };

/** At most this many stretches are drawn, so a long run does not become a comb of thin spikes. */
export const MAX_POINTS = 60;

/**
 * How long a stretch lasts at least. Events come every 100 ms to 1 s, and a rate over a short stretch is mostly
 * noise: a twentieth of the run, but not under 100 ms (one event) nor over a second (a long run shows 60 of them).
 */
export const stretchMs = (runMs: number): number => Math.max(runMs / MAX_POINTS, Math.min(1000, Math.max(100, runMs / 20)));

/**
 * The job's rows per second over its life. Samples are grouped into stretches (see stretchMs); each point is the
 * rate over its stretch. The average is the table's figure once the
 * job ended (rows over run time), else the rate over the samples seen.
 */
export function throughputSeries(job: Job, samples: readonly ProgressSample[]): ThroughputSeries {
  const seen = [...samples].sort((a, b) => a.at - b.at);
  const first = seen[0];
  const last = seen.at(-1);
  if (first && last && last.at > first.at) {
    const points = stretchesOf(seen, stretchMs(last.at - first.at));
    const seconds = (last.at - first.at) / 1000;
    const measured = (last.rows - first.rows) / seconds;
    const average = (isTerminal(job.status) ? throughputOf(job) : null) ?? measured;
    const peak = Math.max(...points.map((p) => p.rowsPerSecond));
    const started = job.startedAt ? Date.parse(job.startedAt) : Number.NaN;
    const startSecond = Number.isFinite(started) ? Math.max(0, (first.at - started) / 1000) : 0;
    return { kind: 'measured', points, seconds, peak, average, startSecond };
  }
  const average = isTerminal(job.status) ? throughputOf(job) : null;
  const seconds = runSeconds(job);
  return average != null && seconds ? { kind: 'average', seconds, average } : { kind: 'none' };
}

function stretchesOf(samples: readonly ProgressSample[], minMs: number): ThroughputPoint[] {
  const origin = samples[0]!.at;
  const points: ThroughputPoint[] = [];
  let from = samples[0]!;
  for (const sample of samples.slice(1)) {
    const isLast = sample === samples.at(-1);
    if (sample.at - from.at < minMs && !isLast) continue;
    if (sample.at > from.at) {
      const rate = Math.max(0, sample.rows - from.rows) / ((sample.at - from.at) / 1000);
      points.push({ seconds: (sample.at - origin) / 1000, rowsPerSecond: rate });
    }
    from = sample;
  }
  return points;
}

function runSeconds(job: Job): number | null {
  if (!job.startedAt || !job.finishedAt) return null;
  const ms = Date.parse(job.finishedAt) - Date.parse(job.startedAt);
  return Number.isFinite(ms) && ms > 0 ? ms / 1000 : null;
}

/** The most samples kept per job; past it every other older one goes, so a long run keeps its whole shape. */
export const MAX_SAMPLES = 600;

/** The samples with one more, thinned when over MAX_SAMPLES (the first and the newest always stay). */
export function withSample(samples: readonly ProgressSample[], sample: ProgressSample): readonly ProgressSample[] {
  const last = samples.at(-1);
  if (last && last.at >= sample.at) return samples; // a copy already seen (snapshot after an event)
  const next = [...samples, sample];
  if (next.length <= MAX_SAMPLES) return next;
  return next.filter((_, i) => i === next.length - 1 || i % 2 === 0);
}
