import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openAsBlob } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect } from 'vitest';
import { isTerminal, type ImportEvent, type Job } from '@docprocessor/contracts';
import { createDbClient, jobFromSql, type DbClient, type ImportJobRow } from '@docprocessor/db';
import { freePort, stopProcess, type RunningService, type Stack } from '../src/stack.js';
import { generateContacts } from '../src/bench/generate-contacts.js';
import { countsGoingBackwards } from './fault-events.js';

// The NATS side (event log, replay, dead letters) lives in fault-events.ts; tests import both from here.
export * from './fault-events.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(probe: () => Promise<T | undefined | false | null> | T | undefined | false | null, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** A scratch directory removed by `remove()`. */
export async function scratchDir(label: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `dp-${label}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export interface ContactsFile {
  path: string;
  rows: number;
  invalid: number;
}

/** The benchmark's deterministic contacts file: row n has id n, and `invalid` rows break exactly one rule each. */
export async function contactsFile(dir: string, rows: number, invalidFraction = 0.01, seed = 42): Promise<ContactsFile> {
  const path = join(dir, `contacts-${rows}-${seed}.csv`);
  const { invalid } = await generateContacts(path, { rows, invalidFraction, seed });
  return { path, rows, invalid };
}

export async function api<T = unknown>(stack: Stack, method: string, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${stack.url}${path}`, { method, headers: { 'x-api-key': stack.apiKey } });
  return { status: response.status, body: (await response.json()) as T };
}

/** Uploads a file through the one origin, as a person would. */
export async function upload(stack: Stack, path: string): Promise<Job> {
  const form = new FormData();
  form.append('template', 'contacts');
  form.append('file', await openAsBlob(path, { type: 'text/csv' }), basename(path));
  const response = await fetch(`${stack.url}/api/imports`, { method: 'POST', body: form, headers: { 'x-api-key': stack.apiKey } });
  const body = (await response.json()) as Job;
  if (response.status !== 202) throw new Error(`upload refused: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** Every event of the stack seen live on NATS (core subscription, reconnecting like the services do). */
/** Read-only access to the stack's database for assertions (and the odd fault the test injects on purpose). */
export class TestDb {
  private constructor(readonly client: DbClient) {}

  static open(url: string): TestDb {
    return new TestDb(createDbClient(url, { max: 3, applicationName: 'fault-test' }));
  }

  get sql() {
    return this.client.sql;
  }

  async job(id: string): Promise<ImportJobRow> {
    const [record] = await this.sql`select * from import_jobs where id = ${id}`;
    if (!record) throw new Error(`no job ${id}`);
    return jobFromSql(record);
  }

  waitForFinal(id: string, timeoutMs = 120_000): Promise<ImportJobRow> {
    return waitFor(async () => {
      const job = await this.job(id);
      return isTerminal(job.status) && job;
    }, `job ${id} to reach a final state`, timeoutMs);
  }

  /** What the job left behind: its rows in `contacts` and its stored row errors, counted every way that could hide a double. */
  async footprint(jobId: string) {
    const [rows] = await this.sql<[{ n: number; ids: number; min: number | null; max: number | null }]>`
      select count(*)::int as n, count(distinct id)::int as ids, min(id)::int as min, max(id)::int as max from contacts where import_job_id = ${jobId}`;
    const [errors] = await this.sql<[{ n: number; rows: number; overlap: number }]>`
      select count(*)::int as n, count(distinct row)::int as rows,
        (select count(*)::int from import_row_errors e join contacts c on c.id = e.row where e.job_id = ${jobId}) as overlap
      from import_row_errors where job_id = ${jobId}`;
    const [all] = await this.sql<[{ n: number }]>`select count(*)::int as n from contacts`;
    return { rows: rows.n, distinctIds: rows.ids, minId: rows.min, maxId: rows.max, errors: errors.n, errorRows: errors.rows, overlap: errors.overlap, tableRows: all.n };
  }

  /** One checksum of the table's data columns (not lineage), to compare runs. */
  async contactsChecksum(): Promise<{ n: number; md5: string }> {
    const [row] = await this.sql<[{ n: number; md5: string }]>`
      select count(*)::int as n, md5(coalesce(string_agg(concat_ws('|', id, email, first_name, last_name, company, country, signup_date, amount, active, notes), E'\n' order by id), '')) as md5
      from contacts`;
    return row;
  }

  async errorRows(jobId: string): Promise<Array<{ row: number; code: string }>> {
    return this.sql<Array<{ row: number; code: string }>>`select row::int, code from import_row_errors where job_id = ${jobId} order by row, code`;
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

/** With FAULT_TEST_LOGS=<dir>, every service's output of the stack is kept there for a post-mortem. */
export async function keepLogs(stack: Stack | undefined, label: string): Promise<void> {
  const into = process.env.FAULT_TEST_LOGS;
  if (!into || !stack) return;
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(into, { recursive: true });
  await writeFile(join(into, `${label}.log`), stack.logs());
}

export const liveProcessors = (stack: Stack): RunningService[] =>
  stack.services.filter((s) => s.name === 'processor' && s.child.exitCode === null && s.child.signalCode === null);

/** SIGKILL, as a power cut would: no batch boundary, no hand-back. */
export async function killProcessors(stack: Stack, which = liveProcessors(stack)): Promise<number> {
  await Promise.all(which.map((s) => stopProcess(s.child, 'SIGKILL')));
  return which.length;
}

export async function startProcessors(stack: Stack, count: number, env: Record<string, string> = {}): Promise<RunningService[]> {
  const started = Array.from({ length: count }, () => stack.spawn('processor', env));
  await stack.processorsReady();
  return started;
}

/** The live processor that claimed the job last (from its `job claimed` log lines), if any. */
export function holderOf(stack: Stack, jobId: string): RunningService | undefined {
  let best: { service: RunningService; attempt: number } | undefined;
  for (const service of liveProcessors(stack)) {
    for (const line of service.logs.join('').split('\n')) {
      if (!line.includes('"msg":"job claimed"') || !line.includes(`"jobId":"${jobId}"`)) continue;
      const attempt = Number(/"attempt":(\d+)/.exec(line)?.[1] ?? 0);
      if (!best || attempt > best.attempt) best = { service, attempt };
    }
  }
  return best?.service;
}

/**
 * The checks every fault test ends with: the job completed with the file's exact counts, the table holds
 * each valid row once, every invalid row has exactly one stored error, and no event's counts went backwards.
 */
export async function expectExactImport(db: TestDb, jobId: string, file: ContactsFile, events: { live: ImportEvent[]; replayed: ImportEvent[] }): Promise<ImportJobRow> {
  const job = await db.job(jobId);
  expect(job, JSON.stringify(job.error)).toMatchObject({
    status: 'completed',
    processedRows: file.rows,
    totalRows: file.rows,
    successRows: file.rows - file.invalid,
    failedRows: file.invalid,
    error: null,
  });
  const left = await db.footprint(jobId);
  expect(left).toEqual({
    rows: file.rows - file.invalid,
    distinctIds: file.rows - file.invalid,
    minId: left.minId,
    maxId: left.maxId,
    errors: file.invalid,
    errorRows: file.invalid,
    overlap: 0,
    tableRows: file.rows - file.invalid,
  });
  expect(left.maxId).toBeLessThanOrEqual(file.rows);
  expect(left.minId).toBeGreaterThanOrEqual(1);
  for (const [name, list] of Object.entries(events)) {
    expect(list.length, `${name} events`).toBeGreaterThan(0);
    expect(countsGoingBackwards(list), `${name} events`).toBeNull();
    expect(list.at(-1), `last of the ${name} events`).toMatchObject({ type: 'completed', job: { processedRows: file.rows, successRows: file.rows - file.invalid } });
  }
  return job;
}

async function listening(port: number): Promise<boolean> {
  const socket = tcpConnect({ host: '127.0.0.1', port });
  try {
    await Promise.race([once(socket, 'connect'), once(socket, 'error').then(([error]) => Promise.reject(error))]);
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

/** A NATS server of the test's own (own port, own store directory), so it can be stopped without disturbing anyone else. */
export class PrivateNats {
  private child: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    private readonly dir: { path: string; remove(): Promise<void> },
  ) {}

  static async start(): Promise<PrivateNats> {
    const server = new PrivateNats(await freePort(), await scratchDir('nats'));
    await server.start();
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.child) return;
    this.child = spawn('/usr/sbin/nats-server', ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.dir.path], { stdio: 'ignore' });
    const child = this.child;
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
      return listening(this.port);
    }, `nats-server on port ${this.port}`, 20_000);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child) await stopProcess(child, 'SIGTERM');
  }

  async destroy(): Promise<void> {
    await this.stop();
    await this.dir.remove();
  }
}
