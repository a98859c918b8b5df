import { expect } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { expectJobInvariants, expectStackAlive } from './checks.js';
import { call, errorCodeOf, uploadBytes, type Answer, type UploadOptions } from './http.js';
import { TestStack } from './use-stack.js';

import { CONTACTS_HEADER } from '../../src/bench/generate-contacts.js';

export { CONTACTS_HEADER as HEADER };

/** One valid contacts line with the given id (and first name and notes, when a test needs them). */
export const row = (id: number, first = 'Ada', notes = ''): string =>
  `${id},p${id}@example.com,${first},Lovelace,ACME,GB,2020-02-29,10.50,true,${notes}`;

/** A stack for the bad-input test files, with the helpers they share; started before and stopped after the file. */
export class BadInputStack extends TestStack {
  constructor(label: string) {
    super({
      label,
      env: { UPLOAD_RATE_LIMIT_PER_MINUTE: '100000', MAX_COLUMNS: '50', MAX_ROW_BYTES: '4096', PROCESSOR_CONCURRENCY: '4' },
      natsLog: true,
    });
  }

  /** Upload that must be accepted; waits for its one terminal event on NATS and returns the job as the API then serves it. */
  async importFile(content: string | Uint8Array, options: UploadOptions = {}): Promise<Job> {
    const answer = await uploadBytes(this.stack, content, options);
    expect(answer.status, answer.text).toBe(202);
    await this.nats.waitForTerminal(answer.body.id, 60_000);
    const final = await call<Job>(this.stack, `/api/imports/${answer.body.id}`);
    expect(final.status).toBe(200);
    expectJobInvariants(final.body);
    return final.body;
  }

  /** Upload that must be refused with `status` and `code`, in the contract's error shape. */
  async refused(answer: Answer, status: number, code: string): Promise<void> {
    expect(answer.status, answer.text).toBe(status);
    expect(errorCodeOf(answer), `error shape with code ${code}: ${answer.text}`).toBe(code);
  }

  async jobCount(): Promise<number> {
    return (await call<{ items: Job[] }>(this.stack, '/api/imports?limit=200')).body.items.length;
  }

  storedObjects(): Promise<number> {
    return this.bus.storedObjects();
  }

  async tableRows(jobId: string): Promise<number> {
    const [{ n }] = (await this.sql`select count(*)::int as n from contacts where import_job_id = ${jobId}`) as unknown as [{ n: number }];
    return n;
  }

  /** Every process still running and healthy, a good file still imported end to end, no unhandled error logged. */
  async expectStillWell(): Promise<void> {
    await expectStackAlive(this.stack);
    const job = await this.importFile(`${CONTACTS_HEADER}\n${row(901)}\n`, { filename: 'still-works.csv' });
    expect(job).toMatchObject({ status: 'completed', successRows: 1 });
    expect(this.stack.logs(), 'no process logged an unhandled error').not.toMatch(/unhandledRejection|uncaughtException|"level":60/);
  }
}

export const useBadInputStack = (label: string): BadInputStack => new BadInputStack(label);
