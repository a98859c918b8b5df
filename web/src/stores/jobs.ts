import { createMemo, type Accessor } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { compareJobs, isTerminal, type Job } from '@docprocessor/contracts';
import { withSample, type ProgressSample } from '../lib/throughput-series';

/** A job that the store took in; `previous` is what it held before (undefined for a job it had not seen). */
export interface JobChange {
  previous: Job | undefined;
  job: Job;
}

export interface Jobs {
  /** Every job seen, newest first. */
  list: Accessor<Job[]>;
  get(id: string): Job | undefined;
  /** The (time, processed rows) of the job's run as this page saw it, oldest first; for the throughput chart. */
  samples(id: string): readonly ProgressSample[];
  /** Merges one job; returns the change, or null when the held job is newer. */
  upsert(job: Job): JobChange | null;
  /** Merges a snapshot by the same rule; jobs missing from it are kept (it holds only the newest 50). */
  applySnapshot(jobs: readonly Job[]): JobChange[];
  clear(): void;
}

/**
 * Frames can arrive out of order (reconnect snapshots, HTTP answers racing events), so an incoming job
 * replaces the held one only if it is not older: a later attempt, then a later updatedAt, then more
 * processed rows; at a tie a terminal state wins. Counts therefore never go backwards within an attempt.
 */
export const isNotOlder = (incoming: Job, held: Job): boolean => compareJobs(incoming, held) >= 0;

export function createJobs(): Jobs {
  const [byId, setById] = createStore<Record<string, Job>>({});
  const [samplesById, setSamplesById] = createStore<Record<string, readonly ProgressSample[]>>({});
  const list = createMemo(() => Object.values(byId).sort(newestFirst));

  function upsert(job: Job): JobChange | null {
    const held = byId[job.id];
    if (held && !isNotOlder(job, held)) return null;
    const previous = held ? unwrapJob(held) : undefined;
    setById(job.id, reconcile(job));
    recordSample(previous, job);
    return { previous, job };
  }

  // A new run (retry, revert) starts a new series; a run's end closes it, when the page saw the run.
  function recordSample(previous: Job | undefined, job: Job): void {
    const newRun = previous && (previous.attempt !== job.attempt || (isTerminal(previous.status) && !isTerminal(job.status)));
    const held = newRun ? [] : (samplesById[job.id] ?? []);
    const ended = isTerminal(job.status) && held.length > 0;
    const at = Date.parse(ended ? (job.finishedAt ?? job.updatedAt) : job.updatedAt);
    if ((job.status === 'processing' || ended) && Number.isFinite(at))
      setSamplesById(job.id, withSample(held, { at, rows: job.processedRows }));
    else if (newRun) setSamplesById(job.id, []);
  }

  return {
    list,
    get: (id) => byId[id],
    samples: (id) => samplesById[id] ?? [],
    upsert,
    applySnapshot: (jobs) => jobs.flatMap((job) => upsert(job) ?? []),
    clear: () => {
      setById(reconcile({}));
      setSamplesById(reconcile({}));
    },
  };
}

// A plain copy of the store proxy, so `previous` does not change under the caller.
const unwrapJob = (job: Job): Job => ({
  ...job,
  error: job.error ? { ...job.error } : null,
  ignoredColumns: [...job.ignoredColumns],
  fixes: job.fixes.map((fix) => ({ ...fix })),
  revert: job.revert ? { ...job.revert } : null,
});

function compareTimes(a: string, b: string): number {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return a < b ? -1 : a > b ? 1 : 0;
  return Math.sign(ta - tb);
}

const newestFirst = (a: Job, b: Job): number => compareTimes(b.createdAt, a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
