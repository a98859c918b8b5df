import { expect } from 'vitest';
import type { ImportEvent, Job } from '@docprocessor/contracts';
import type { Stack } from '../../src/stack.js';
import { call } from './http.js';

/** Every process the stack started is still running and `/api/health` says ok through the one origin. */
export async function expectStackAlive(stack: Stack): Promise<void> {
  const dead = stack.services.filter((s) => s.child.exitCode !== null || s.child.signalCode !== null);
  expect(
    dead.map((s) => `${s.name} pid ${s.child.pid} exited ${s.child.exitCode ?? s.child.signalCode}`),
    dead.length ? stack.logs() : 'every process alive',
  ).toEqual([]);
  expect(new Set(stack.services.map((s) => s.name))).toEqual(new Set(['ingest', 'gateway', 'processor']));
  const health = await call<{ status: string; checks: { database: { ok: boolean }; nats: { ok: boolean } } }>(stack, '/api/health', {
    key: false,
  });
  expect(health.status).toBe(200);
  expect(health.body).toMatchObject({ status: 'ok', checks: { database: { ok: true }, nats: { ok: true } } });
}

/** The contract's invariants on one job object. */
export function expectJobInvariants(job: Job): void {
  expect(job.processedRows, `processedRows = successRows + failedRows in ${JSON.stringify(job)}`).toBe(job.successRows + job.failedRows);
  expect(job.progress).toBeGreaterThanOrEqual(0);
  expect(job.progress).toBeLessThanOrEqual(1);
  if (job.status === 'completed') {
    expect(job.totalRows).toBe(job.processedRows);
    expect(job.error).toBeNull();
    expect(job.finishedAt).not.toBeNull();
  }
  if (job.status === 'failed') expect(job.error).not.toBeNull();
}

/** Counts (and bytes and progress) never go backwards across a sequence of states of one job. */
export function expectMonotonic(jobs: Job[]): void {
  for (let i = 1; i < jobs.length; i++) {
    const [a, b] = [jobs[i - 1]!, jobs[i]!];
    if (b.attempt !== a.attempt) continue;
    for (const field of ['processedRows', 'successRows', 'failedRows', 'bytesProcessed'] as const)
      expect(b[field], `${field} went backwards between states ${i - 1} and ${i}`).toBeGreaterThanOrEqual(a[field]);
    expect(b.progress, `progress went backwards between states ${i - 1} and ${i}`).toBeGreaterThanOrEqual(a.progress);
  }
}

/** The shape of an event sequence for comparison: type and counts. */
export const sequenceOf = (events: ImportEvent[]): string[] =>
  events.map((e) => `${e.type}:${e.job.status}:${e.job.processedRows}/${e.job.successRows}/${e.job.failedRows}`);
