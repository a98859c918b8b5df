import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { ImportEvent, Job } from '@docprocessor/contracts';
import type { RunningService } from '../../src/stack.js';
import { contactsFile, type ContactsFile } from './contacts.js';
import { EventLog } from './event-log.js';
import { expectExactImport } from './exact-import.js';
import { call, type Answer } from './http.js';
import { holderOf, killProcessors, liveProcessors, startProcessors } from './processors.js';
import { scratchDir, type ScratchDir } from './scratch-dir.js';
import { TestDb } from './test-db.js';
import { started, TestStack, type UseStackOptions } from './use-stack.js';

/** The processors' batch size in every fault test: small batches make a 200k-row import take a few seconds. */
export const BATCH_ROWS = 500;
// A short ack wait makes each takeover after a kill quick; a test about leases sets its own.
const FAULT_ENV = { PROCESSOR_BATCH_ROWS: String(BATCH_ROWS), ACK_WAIT_MS: '3000' };

export interface FaultStackOptions extends Omit<UseStackOptions, 'natsLog'> {
  /** Rows of the contacts file the file's tests upload. */
  rows: number;
  /** Share of those rows that break one rule each (default 0.01). */
  invalidFraction?: number;
}

/**
 * A stack for one fault test file, in the spirit of nats.js's jstest_util: the stack (one processor unless told),
 * a contacts file, a live event log and a database handle, all made before the file's tests and removed after.
 */
export class FaultStack extends TestStack {
  #dir: ScratchDir | undefined;
  #file: ContactsFile | undefined;
  #db: TestDb | undefined;
  #events: EventLog | undefined;

  constructor(options: FaultStackOptions) {
    const { rows, invalidFraction = 0.01, env, ...stackOptions } = options;
    super({ ...stackOptions, env: { ...FAULT_ENV, ...env } });
    beforeAll(async () => {
      this.#dir = await scratchDir(options.label);
      this.#file = await contactsFile(this.#dir.path, rows, invalidFraction);
      this.#db = TestDb.open(this.stack.databaseUrl);
      this.#events = await EventLog.open(this.bus.servers, this.stack.names);
    });
    afterAll(async () => {
      await this.#events?.close();
      await this.#db?.close();
      await this.#dir?.remove();
    });
  }

  /** The stack's database, for assertions and for faults injected on purpose. */
  get db(): TestDb {
    return started(this.#db, 'db');
  }

  /** Every job event seen live on NATS since before the first test. */
  get events(): EventLog {
    return started(this.#events, 'events');
  }

  get file(): ContactsFile {
    return started(this.#file, 'file');
  }

  /** Uploads the file through the one origin, as a person would, and insists on 202. */
  async upload(): Promise<Job> {
    const form = new FormData();
    form.append('template', 'contacts');
    form.append('file', await openAsBlob(this.file.path, { type: 'text/csv' }), basename(this.file.path));
    const answer = await call<Job>(this.stack, '/api/imports', { method: 'POST', body: form });
    if (answer.status !== 202) throw new Error(`upload refused: ${answer.status} ${answer.text}`);
    return answer.body;
  }

  api<T = unknown>(method: string, path: string): Promise<Answer<T>> {
    return call<T>(this.stack, path, { method });
  }

  /** The job's first progress event at or past `share` of the file's rows; `act` runs as it arrives (EventLog.on). */
  progressAt(jobId: string, share: number, act?: (event: ImportEvent) => void): Promise<ImportEvent> {
    return this.events.on((e) => e.jobId === jobId && e.type === 'progress' && e.job.processedRows >= share * this.file.rows, act);
  }

  /** Once the job is final: expectExactImport on its live events and on those the stream kept, which it returns. */
  async expectExactImport(jobId: string): Promise<{ live: ImportEvent[]; replayed: ImportEvent[] }> {
    const live = await this.events.untilFinal(jobId);
    const replayed = await this.bus.replay(jobId);
    await expectExactImport(this.db, jobId, this.file, { live, replayed });
    return { live, replayed };
  }

  liveProcessors(): RunningService[] {
    return liveProcessors(this.stack);
  }

  /** SIGKILL, as a power cut would: no batch boundary, no hand-back. */
  killProcessors(which?: RunningService[]): Promise<number> {
    return killProcessors(this.stack, which);
  }

  startProcessors(count: number): Promise<RunningService[]> {
    return startProcessors(this.stack, count);
  }

  /** The live processor that claimed the job last, if any. */
  holderOf(jobId: string): RunningService | undefined {
    return holderOf(this.stack, jobId);
  }
}

export const useFaultStack = (options: FaultStackOptions): FaultStack => new FaultStack(options);
