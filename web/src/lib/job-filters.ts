import type { Job } from '@docprocessor/contracts';
import type { JobQuery } from '../api/http';

/** What the jobs view is narrowed to, as the URL's search parameters hold it (so a filtered view can be shared). */
export interface JobFilters {
  status: string;
  template: string;
  /** Part of the file name. */
  q: string;
  /** Calendar days in the person's time zone, `YYYY-MM-DD`, both included; '' for open. */
  from: string;
  to: string;
}

export const NO_FILTERS: JobFilters = { status: '', template: '', q: '', from: '', to: '' };
export const FILTER_NAMES = Object.keys(NO_FILTERS) as Array<keyof JobFilters>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads the filters from search parameters, dropping what is not a value the view offers. */
export function filtersOf(params: Partial<Record<string, string | string[] | undefined>>): JobFilters {
  const one = (name: keyof JobFilters): string => {
    const value = params[name];
    return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
  };
  const day = (name: 'from' | 'to') => (DAY.test(one(name)) ? one(name) : '');
  return { status: one('status'), template: one('template'), q: one('q'), from: day('from'), to: day('to') };
}

export const hasFilters = (filters: JobFilters): boolean => FILTER_NAMES.some((name) => filters[name] !== '');

/** Local midnight of a `YYYY-MM-DD` day, `plusDays` later. */
function startOfDay(day: string, plusDays = 0): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d + plusDays);
}

/** The API's query for these filters: days become instants (the end day is included whole). */
export function queryOf(filters: JobFilters): JobQuery {
  return {
    status: filters.status || undefined,
    template: filters.template || undefined,
    q: filters.q || undefined,
    from: filters.from ? startOfDay(filters.from).toISOString() : undefined,
    to: filters.to ? startOfDay(filters.to, 1).toISOString() : undefined,
  };
}

/** The same test the API applies, for jobs that arrive live. */
export function matchesFilters(job: Job, filters: JobFilters): boolean {
  const created = Date.parse(job.createdAt);
  if (filters.status && job.status !== filters.status) return false;
  if (filters.template && job.template !== filters.template) return false;
  if (filters.q && !job.filename.toLowerCase().includes(filters.q.toLowerCase())) return false;
  if (filters.from && created < startOfDay(filters.from).getTime()) return false;
  if (filters.to && created >= startOfDay(filters.to, 1).getTime()) return false;
  return true;
}
