import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { ImportEvent, type Job } from '@docprocessor/contracts';
import type { Stack } from '../stack.js';
import { CpuMeter } from './cpu-accounting.js';

const run = promisify(execFile);

export const CONTACTS_COLUMNS =
  'id bigint primary key, email text not null, first_name text not null, last_name text not null, company text, ' +
  'country char(2) not null, signup_date date not null, amount numeric not null, active boolean not null, notes text';

export async function psql(databaseUrl: string, command: string): Promise<void> {
  await run('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', command], { maxBuffer: 1 << 20 });
}

/** The first value psql prints for `query`. */
export async function psqlValue(databaseUrl: string, query: string): Promise<string> {
  const { stdout } = await run('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-At', '-c', query]);
  return stdout.trim().split('\n')[0] ?? '';
}

let settleWarned = false;

/**
 * Writes out what earlier runs left dirty (PostgreSQL's buffers and WAL, NATS's stored chunks in the page
 * cache), so that each timed run starts from the same state instead of paying for the one before it.
 */
export async function settle(databaseUrl: string): Promise<void> {
  try {
    await psql(databaseUrl, 'checkpoint');
  } catch (error) {
    // CHECKPOINT needs a superuser (or pg_checkpoint): without it the runs are timed as they come.
    if (!settleWarned) console.warn(`  (no CHECKPOINT between runs: ${(error as Error).message.trim().split('\n').at(-1)})`);
    settleWarned = true;
  }
  await run('sync');
}

/** PostgreSQL's own speed limit: `psql \copy` of the file into `table`, a table of the contacts columns and key. */
export async function timePsqlCopy(databaseUrl: string, file: string, table: string): Promise<number> {
  await settle(databaseUrl);
  const started = performance.now();
  await psql(databaseUrl, `\\copy ${table} from '${file.replaceAll("'", "''")}' csv header`);
  return (performance.now() - started) / 1000;
}

export interface PipelineRun {
  seconds: number;
  uploadSeconds: number;
  /** The job's createdAt to its startedAt: how long it waited for a processor. */
  pickupSeconds: number;
  /** The job's finishedAt to the `completed` event's arrival here. */
  tailSeconds: number;
  job: Job;
  /** CPU seconds per watched process group over the run, when asked for. */
  cpu?: Map<string, number>;
  /** The same, up to the upload's answer (upload + store). */
  uploadCpu?: Map<string, number>;
}

export interface PipelineOptions {
  /** Upload form fields besides `template=contacts` and the file (`onDuplicate`, `atomic`, …). */
  fields?: Record<string, string>;
  /** Charge the run's CPU per process group (services, PostgreSQL, NATS, this client). */
  cpu?: boolean;
}

/** The product's own path: from the first upload byte to the `completed` event on NATS. */
export async function timePipeline(stack: Stack, file: string, options: PipelineOptions = {}): Promise<PipelineRun> {
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
  let meter: CpuMeter | null = null;
  try {
    await nc.flush();
    meter = options.cpu ? new CpuMeter(stack) : null;
    meter?.start();
    const started = performance.now();
    const response = await postMultipart(`${stack.url}/api/imports`, stack.apiKey, file, { template: 'contacts', ...options.fields });
    const uploadSeconds = (performance.now() - started) / 1000;
    const uploadCpu = meter?.spentSoFar();
    if (response.status !== 202) throw new Error(`upload refused: ${response.status} ${response.body}`);
    const accepted = JSON.parse(response.body) as Job;
    const final = finals.get(accepted.id) ?? (await new Promise<ImportEvent>((resolve) => waiters.set(accepted.id, resolve)));
    const arrived = Date.now();
    const seconds = (performance.now() - started) / 1000;
    const cpu = meter?.stop();
    if (final.type !== 'completed') throw new Error(`import ${final.type}: ${JSON.stringify(final.job.error)}`);
    const at = (time: string | null) => (time ? Date.parse(time) : Number.NaN);
    const pickupSeconds = (at(final.job.startedAt) - at(final.job.createdAt)) / 1000;
    const tailSeconds = (arrived - at(final.job.finishedAt)) / 1000;
    return { seconds, uploadSeconds, pickupSeconds, tailSeconds, job: final.job, cpu, uploadCpu };
  } finally {
    meter?.stop();
    subscription.unsubscribe();
    await nc.close();
  }
}

/**
 * Uploads a file as curl -F does: multipart written around the file's bytes as they stream from disk.
 * fetch() with FormData spent a core of its own building the body, and on 2 cores the client's work
 * slowed the services it measures.
 */
function postMultipart(
  url: string,
  apiKey: string,
  file: string,
  fields: Record<string, string>,
): Promise<{ status: number; body: string }> {
  const boundary = `bench-${randomUUID()}`;
  const head = Buffer.from(
    Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${basename(file)}"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const headers = {
      'x-api-key': apiKey,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': head.length + statSync(file).size + tail.length,
    };
    const req = request(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => (body += text));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.write(head);
    const content = createReadStream(file, { highWaterMark: 1 << 20 });
    content.on('error', reject);
    content.on('end', () => req.end(tail));
    content.pipe(req, { end: false });
  });
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
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmHWM:'));
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
