import type { JobStatus } from '@docprocessor/contracts';

const STATUS_LABELS: Record<JobStatus, string> = {
  pending: 'Pending',
  processing: 'Processing',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  reverted: 'Reverted',
};

export const statusLabel = (status: JobStatus): string => STATUS_LABELS[status];

const integer = new Intl.NumberFormat('en-US');
export const formatCount = (n: number | null | undefined): string => (n == null ? '—' : integer.format(n));

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** 0.42 s, 12 s, 3 min 05 s, 1 h 02 min */
export function formatDuration(seconds: number | null): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 10) return `${seconds.toFixed(seconds < 1 ? 2 : 1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** Time left, from the whole seconds the API gives: no decimals it does not have. */
export function formatEta(seconds: number | null): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return '—';
  if (seconds < 1) return '< 1 s';
  return seconds < 60 ? `${Math.round(seconds)} s` : formatDuration(seconds);
}

export function formatRate(rowsPerSecond: number | null): string {
  if (rowsPerSecond == null || !Number.isFinite(rowsPerSecond)) return '—';
  return `${integer.format(Math.round(rowsPerSecond))} rows/s`;
}

/** Seconds between two ISO timestamps, or null if either is missing. */
export function secondsBetween(from: string | null, to: string | null): number | null {
  if (!from || !to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, ms / 1000) : null;
}

export const percent = (fraction: number): number => Math.round(Math.min(1, Math.max(0, fraction)) * 1000) / 10;

export const shortSha = (sha: string): string => sha.slice(0, 12);

export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameDay = date.toDateString() === new Date().toDateString();
  return sameDay
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** For a table cell: the time today, else the day and time (the year only when it is not this one). */
export function formatShortTime(iso: string | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const now = new Date();
  if (date.toDateString() === now.toDateString()) return date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const year = date.getFullYear() === now.getFullYear() ? undefined : 'numeric';
  return date.toLocaleString(undefined, { year, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A rate as a plain number of rows per second, for a column that names the unit. */
export const formatRateNumber = (rowsPerSecond: number | null): string =>
  rowsPerSecond == null || !Number.isFinite(rowsPerSecond) ? '—' : integer.format(Math.round(rowsPerSecond));
