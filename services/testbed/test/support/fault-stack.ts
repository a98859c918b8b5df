import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ImportEvent, Job } from '@docprocessor/contracts';
import type { RunningService } from '../../src/stack.js';
import { contactsFile, type ContactsFile } from './contacts.js';
import { EventLog } from './event-log.js';
import { expectExactImport } from './exact-import.js';
import { call } from './http.js';
import { holderOf, killProcessors, liveProcessors, startProcessors } from './processors.js';
import { scratchDir, type ScratchDir } from './scratch-dir.js';
import { TestDb } from './test-db.js';
import { useStack, type StackHandle, type UseStackOptions } from './use-stack.js';

/** The processors' batch size in every fault test: small batches make a 200k-row import take a few seconds. */
export const BATCH_ROWS = 500;
// A short ack wait makes each takeover after a kill quick; a test about leases sets its own.
const FAULT_ENV = { PROCESSOR_BATCH_ROWS: String(BATCH_ROWS), ACK_WAIT_MS: '3000' };

export interface FaultStackOptions extends Omit<UseStackOptions, 'natsLog'> {
  /** Rows of the contacts file every test of the file uploads. */
  rows: number;
  /** Share of those rows that break one rule each (default 0.01). */
  invalidFraction?: number;
}

export interface FaultStack extends Omit<StackHandle, 'nats' | 'sql'> {
  /** The stack's database, for assertions and for faults injected on purpose. */
  readonly db: TestDb;
  /** Every job event seen live on NATS since before the first test. */
  readonly events: EventLog;
  readonly file: ContactsFile;
  /** Uploads the file through the one origin, as a person would, and insists on 202. */
  upload(): Promise<Job>;
  api<T = unknown>(method: string, path: string): Promise<{ status: number; body: T }>;
  /** The job's first progress event at or past `share` of the file's rows; `act` runs as it arrives (EventLog.on). */
  progressAt(jobId: string, share: number, act?: (event: ImportEvent) => void): Promise<ImportEvent>;
  /** Once the job is final: expectExactImport on its live events and on those the stream kept, which it returns. */
  expectExactImport(jobId: string): Promise<{ live: ImportEvent[]; replayed: ImportEvent[] }>;
  liveProcessors(): RunningService[];
  /** SIGKILL, as a power cut would: no batch boundary, no hand-back. */
  killProcessors(which?: RunningService[]): Promise<number>;
  startProcessors(count: number): Promise<RunningService[]>;
  /** The live processor that claimed the job last, if any. */
  holderOf(jobId: string): RunningService | undefined;
}

/**
 * A stack for one fault test file, in the spirit of nats.js's jstest_util: the stack (one processor unless told),
 * a contacts file, a live event log and a database handle, all made before the file's tests and removed after.
 */
export function useFaultStack(options: FaultStackOptions): FaultStack {
  const { rows, invalidFraction = 0.01, env, ...stackOptions } = options;
  const base = useStack({ ...stackOptions, env: { ...FAULT_ENV, ...env } });
  let dir: ScratchDir;
  let file: ContactsFile;
  let db: TestDb;
  let events: EventLog;

  beforeAll(async () => {
    dir = await scratchDir(options.label);
    file = await contactsFile(dir.path, rows, invalidFraction);
    db = TestDb.open(base.stack.databaseUrl);
    events = await EventLog.open(base.bus.servers, base.stack.names);
  });

  afterAll(async () => {
    await events?.close();
    await db?.close();
    await dir?.remove();
  });

  return {
    get stack() {
      return base.stack;
    },
    get bus() {
      return base.bus;
    },
    get natsServer() {
      return base.natsServer;
    },
    get db() {
      return db;
    },
    get events() {
      return events;
    },
    get file() {
      return file;
    },
    async upload() {
      const form = new FormData();
      form.append('template', 'contacts');
      form.append('file', await openAsBlob(file.path, { type: 'text/csv' }), basename(file.path));
      const answer = await call<Job>(base.stack, '/api/imports', { method: 'POST', body: form });
      if (answer.status !== 202) throw new Error(`upload refused: ${answer.status} ${answer.text}`);
      return answer.body;
    },
    api: (method, path) => call(base.stack, path, { method }),
    progressAt: (jobId, share, act) =>
      events.on((e) => e.jobId === jobId && e.type === 'progress' && e.job.processedRows >= share * file.rows, act),
    async expectExactImport(jobId) {
      const live = await events.untilFinal(jobId);
      const replayed = await base.bus.replay(jobId);
      await expectExactImport(db, jobId, file, { live, replayed });
      return { live, replayed };
    },
    liveProcessors: () => liveProcessors(base.stack),
    killProcessors: (which) => killProcessors(base.stack, which),
    startProcessors: (count) => startProcessors(base.stack, count),
    holderOf: (jobId) => holderOf(base.stack, jobId),
  };
}
