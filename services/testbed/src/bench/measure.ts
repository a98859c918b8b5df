import { execFile } from 'node:child_process';
import { openAsBlob, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { ImportEvent, type Job } from '@docprocessor/contracts';
import type { Stack } from '../stack.js';

const run = promisify(execFile);

export const CONTACTS_COLUMNS =
  'id bigint primary key, email text not null, first_name text not null, last_name text not null, company text, country char(2) not null, signup_date date not null, amount numeric not null, active boolean not null, notes text';

async function psql(databaseUrl: string, command: string): Promise<void> {
  await run('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', command], { maxBuffer: 1 << 20 });
}

/** PostgreSQL's own speed limit: `psql \copy` of the file into a scratch table of the same types. */
export async function timePsqlCopy(databaseUrl: string, file: string): Promise<number> {
  await psql(databaseUrl, `create table if not exists bench_copy (${CONTACTS_COLUMNS}); truncate bench_copy`);
  const started = performance.now();
  await psql(databaseUrl, `\\copy bench_copy from '${file.replaceAll("'", "''")}' csv header`);
  return (performance.now() - started) / 1000;
}

export async function emptyContacts(databaseUrl: string): Promise<void> {
  await psql(databaseUrl, 'truncate contacts');
}

export interface PipelineRun {
  seconds: number;
  uploadSeconds: number;
  job: Job;
}

/** The product's own path: from the first upload byte to the `completed` event on NATS. */
export async function timePipeline(stack: Stack, file: string): Promise<PipelineRun> {
  const nc = await connect({ servers: stack.env.NATS_URL!.split(',') });
  const finals = new Map<string, ImportEvent>();
  const waiters = new Map<string, (event: ImportEvent) => void>();
  const subscription = nc.subscribe(`${stack.names.subjectPrefix}.*.*`, {
    callback: (_error, message) => {
      const event = ImportEvent.parse(message.json());
      if (event.type !== 'completed' && event.type !== 'failed') return;
      finals.set(event.jobId, event);
      waiters.get(event.jobId)?.(event);
    },
  });
  try {
    await nc.flush();
    const form = new FormData();
    form.append('template', 'contacts');
    form.append('file', await openAsBlob(file, { type: 'text/csv' }), basename(file));
    const started = performance.now();
    const response = await fetch(`${stack.url}/api/imports`, { method: 'POST', body: form, headers: { 'x-api-key': stack.apiKey } });
    const uploadSeconds = (performance.now() - started) / 1000;
    const accepted = (await response.json()) as Job;
    if (response.status !== 202) throw new Error(`upload refused: ${response.status} ${JSON.stringify(accepted)}`);
    const final = finals.get(accepted.id) ?? (await new Promise<ImportEvent>((resolve) => waiters.set(accepted.id, resolve)));
    const seconds = (performance.now() - started) / 1000;
    if (final.type !== 'completed') throw new Error(`import ${final.type}: ${JSON.stringify(final.job.error)}`);
    return { seconds, uploadSeconds, job: final.job };
  } finally {
    subscription.unsubscribe();
    await nc.close();
  }
}

/** Several uploads started together: seconds from the first upload byte until the last of them completed. */
export async function timeTogether(stack: Stack, files: string[]): Promise<number> {
  const started = performance.now();
  await Promise.all(files.map((file) => timePipeline(stack, file)));
  return (performance.now() - started) / 1000;
}

/** Peak resident memory of a process (VmHWM), in MiB. */
export function peakRssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
    return line ? Math.round(Number(line.replace(/\D+/g, '')) / 1024) : null;
  } catch {
    return null;
  }
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
