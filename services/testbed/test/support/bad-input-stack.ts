import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Objm } from '@nats-io/obj';
import type postgres from 'postgres';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { Stack } from '../../src/stack.js';
import { expectJobInvariants, expectStackAlive } from './checks.js';
import { openDb } from './db.js';
import { call, errorCodeOf, uploadBytes, type Answer, type UploadOptions } from './http.js';
import { NatsLog } from './nats-log.js';

import { CONTACTS_HEADER } from '../../src/bench/generate-contacts.js';

export { CONTACTS_HEADER as HEADER };

/** One valid contacts line with the given id (and first name and notes, when a test needs them). */
export const row = (id: number, first = 'Ada', notes = ''): string => `${id},p${id}@example.com,${first},Lovelace,ACME,GB,2020-02-29,10.50,true,${notes}`;

/** A stack for the bad-input test files, with the helpers they share; started before and stopped after the file. */
export interface BadInputStack {
  readonly stack: Stack;
  readonly sql: postgres.Sql;
  readonly nats: NatsLog;
  /** Upload that must be accepted; waits for its one terminal event on NATS and returns the job as the API then serves it. */
  importFile(content: string | Uint8Array, options?: UploadOptions): Promise<Job>;
  /** Upload that must be refused with `status` and `code`, in the contract's error shape. */
  refused(answer: Answer, status: number, code: string): Promise<void>;
  jobCount(): Promise<number>;
  storedObjects(): Promise<number>;
  tableRows(jobId: string): Promise<number>;
  /** Every process still running and healthy, a good file still imported end to end, no unhandled error logged. */
  expectStillWell(): Promise<void>;
}

export function useBadInputStack(label: string): BadInputStack {
  let stack: Stack;
  let sql: postgres.Sql;
  let nats: NatsLog;
  let nc: NatsConnection;

  beforeAll(async () => {
    stack = await Stack.start({
      label,
      env: { UPLOAD_RATE_LIMIT_PER_MINUTE: '100000', MAX_COLUMNS: '50', MAX_ROW_BYTES: '4096', PROCESSOR_CONCURRENCY: '4' },
    });
    await stack.processorsReady();
    sql = openDb(stack);
    nats = await NatsLog.open(stack);
    nc = await connect({ servers: stack.env.NATS_URL!.split(',') });
  }, 120_000);

  afterAll(async () => {
    await nats?.close().catch(() => undefined);
    await nc?.close().catch(() => undefined);
    await sql?.end({ timeout: 5 }).catch(() => undefined);
    await stack?.stop();
  }, 60_000);

  return {
    get stack() {
      return stack;
    },
    get sql() {
      return sql;
    },
    get nats() {
      return nats;
    },
    async importFile(content, options = {}) {
      const answer = await uploadBytes(stack, content, options);
      expect(answer.status, answer.text).toBe(202);
      await nats.waitForTerminal(answer.body.id, 60_000);
      const final = await call<Job>(stack, `/api/imports/${answer.body.id}`);
      expect(final.status).toBe(200);
      expectJobInvariants(final.body);
      return final.body;
    },
    async refused(answer, status, code) {
      expect(answer.status, answer.text).toBe(status);
      expect(errorCodeOf(answer), `error shape with code ${code}: ${answer.text}`).toBe(code);
    },
    jobCount: async () => (await call<{ items: Job[] }>(stack, '/api/imports?limit=200')).body.items.length,
    storedObjects: async () => {
      const store = await new Objm(nc).open(stack.names.bucket);
      return (await store.list()).filter((info) => !info.deleted).length;
    },
    async expectStillWell() {
      await expectStackAlive(stack);
      const job = await this.importFile(`${CONTACTS_HEADER}\n${row(901)}\n`, { filename: 'still-works.csv' });
      expect(job).toMatchObject({ status: 'completed', successRows: 1 });
      expect(stack.logs(), 'no process logged an unhandled error').not.toMatch(/unhandledRejection|uncaughtException|"level":60/);
    },
    tableRows: async (jobId) => ((await sql`select count(*)::int as n from contacts where import_job_id = ${jobId}`) as unknown as [{ n: number }])[0].n,
  };
}
