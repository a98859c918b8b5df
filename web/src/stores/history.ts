import { createMemo, createSignal, type Accessor } from 'solid-js';
import type { Job } from '@docprocessor/contracts';
import type { Api } from '../api/http';
import { matchesFilters, NO_FILTERS, queryOf, type JobFilters } from '../lib/job-filters';
import type { Jobs } from './jobs';

export const HISTORY_PAGE_SIZE = 50;

export interface History {
  filters: Accessor<JobFilters>;
  /** Shows the history narrowed to `filters`, asking for its first page unless these filters are already shown. */
  show(filters: JobFilters): void;
  /** The jobs the table shows, newest first: live ones included, none older than the pages asked so far. */
  rows: Accessor<Job[]>;
  hasMore: Accessor<boolean>;
  loading: Accessor<boolean>;
  error: Accessor<string | null>;
  loadMore(): Promise<void>;
  reset(): void;
}

interface Paged {
  filters: JobFilters;
  /** Ids the API gave for these filters: kept in view when a live change stops them matching (no row vanishes). */
  ids: ReadonlySet<string>;
  /** The last job of the last page; older jobs wait for the next page, so the list never shows gaps. */
  boundary: Job | null;
  nextCursor: string | null;
  /** false until the first page answered. */
  loaded: boolean;
}

const fresh = (filters: JobFilters): Paged => ({ filters, ids: new Set(), boundary: null, nextCursor: null, loaded: false });
const sameFilters = (a: JobFilters, b: JobFilters): boolean => JSON.stringify(a) === JSON.stringify(b);
const notOlder = (job: Job, boundary: Job): boolean =>
  job.createdAt > boundary.createdAt || (job.createdAt === boundary.createdAt && job.id >= boundary.id);

/** The whole history of the key, a page at a time from `GET /api/imports`; every job lands in `jobs`, where events keep it live. */
export function createHistory(api: Api, jobs: Jobs, messageOf: (error: unknown) => string): History {
  const [paged, setPaged] = createSignal<Paged>(fresh(NO_FILTERS));
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let generation = 0;

  async function fetchPage(cursor: string | null): Promise<void> {
    const mine = ++generation;
    const current = paged();
    setLoading(true);
    setError(null);
    try {
      const page = await api.listJobs(queryOf(current.filters), cursor, HISTORY_PAGE_SIZE);
      if (mine !== generation) return;
      for (const job of page.items) jobs.upsert(job);
      const ids = new Set(current.ids);
      for (const job of page.items) ids.add(job.id);
      const last = page.items.at(-1);
      setPaged({ ...current, ids, boundary: page.nextCursor && last ? { ...last } : null, nextCursor: page.nextCursor, loaded: true });
    } catch (e) {
      if (mine === generation) setError(messageOf(e));
    } finally {
      if (mine === generation) setLoading(false);
    }
  }

  const rows = createMemo(() => {
    const { filters, ids, boundary } = paged();
    return jobs.list().filter((job) => (matchesFilters(job, filters) || ids.has(job.id)) && (!boundary || notOlder(job, boundary)));
  });

  return {
    filters: () => paged().filters,
    show(filters) {
      const current = paged();
      if (sameFilters(current.filters, filters) && (current.loaded || loading())) return;
      setPaged(fresh(filters));
      void fetchPage(null);
    },
    rows,
    hasMore: () => paged().nextCursor !== null,
    loading,
    error,
    loadMore: () => fetchPage(paged().nextCursor),
    reset() {
      generation += 1;
      setPaged(fresh(NO_FILTERS));
      setLoading(false);
      setError(null);
    },
  };
}
