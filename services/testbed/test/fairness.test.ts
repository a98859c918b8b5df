import { openAsBlob } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { createApiKey, createDbClient } from '@docprocessor/db';
import { generateContacts } from '../src/bench/generate-contacts.js';
import { call, TERMINAL } from './support/http.js';
import { scratchDir, type ScratchDir } from './support/scratch-dir.js';
import { useStack } from './support/use-stack.js';
import { eventually } from './support/wait.js';

/**
 * Fairness with one processor as `npm start` runs it (PROCESSOR_CONCURRENCY 2, one small-file slot): tenant A queues
 * four large files, two of which must wait for a slot; tenant B then uploads a small one. Without the small-file lane
 * B's job would be handed out only after A's last one (the shared queue is first in, first out), so it could not
 * finish before that job started.
 */
const LARGE_ROWS = 300_000;
const LARGE_FILES = 4;
const SMALL_ROWS = 50;
const SMALL_FIRST_ID = 10_000_000;
const BOUND_MS = 10_000;

const t = useStack({ label: 'fairness' });
let dir: ScratchDir;
const keys = { a: '', b: '' };
const files: { path: string; valid: number }[] = [];

async function upload(key: string, path: string): Promise<Job> {
  const form = new FormData();
  form.append('file', await openAsBlob(path, { type: 'text/csv' }), 'contacts.csv');
  const res = await fetch(`${t.stack.url}/api/imports`, { method: 'POST', headers: { 'X-API-Key': key }, body: form });
  const body = (await res.json()) as Job;
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Polls the job through its tenant's key until it is final. */
const finished = (key: string, id: string, timeoutMs: number): Promise<Job> =>
  eventually(
    async () => {
      const answer = await call<Job>(t.stack, `/api/imports/${id}`, { key });
      return answer.status === 200 && TERMINAL.includes(answer.body.status) ? answer.body : undefined;
    },
    `job ${id} to finish`,
    timeoutMs,
    100,
  );

beforeAll(async () => {
  dir = await scratchDir('fairness');
  const db = createDbClient(t.stack.databaseUrl, { max: 1 });
  keys.a = (await createApiKey(db.db, { tenantId: 'tenant-a', name: 'a' })).key;
  keys.b = (await createApiKey(db.db, { tenantId: 'tenant-b', name: 'b' })).key;
  await db.close();
  for (let i = 0; i < LARGE_FILES; i++) {
    const path = join(dir.path, `large-${i}.csv`);
    const { rows, invalid } = await generateContacts(path, {
      rows: LARGE_ROWS,
      invalidFraction: 0.01,
      seed: i + 1,
      firstId: i * LARGE_ROWS + 1,
    });
    files.push({ path, valid: rows - invalid });
  }
  const small = join(dir.path, 'small.csv');
  const { rows, invalid } = await generateContacts(small, { rows: SMALL_ROWS, invalidFraction: 0, firstId: SMALL_FIRST_ID });
  files.push({ path: small, valid: rows - invalid });
}, 120_000);

afterAll(async () => {
  await dir?.remove();
});

describe('a small file of another tenant behind large ones', () => {
  it('completes within a few seconds of its upload, before the large files queued ahead of it have started', {
    timeout: 300_000,
  }, async () => {
    const large = await Promise.all(files.slice(0, LARGE_FILES).map((file) => upload(keys.a, file.path)));
    const queuedAhead = large.reduce((latest, job) => (job.createdAt > latest.createdAt ? job : latest));
    const small = await upload(keys.b, files[LARGE_FILES]!.path);

    const smallDone = await finished(keys.b, small.id, 60_000);
    const waitMs = Date.parse(smallDone.finishedAt!) - Date.parse(small.createdAt);
    const largeDone = await Promise.all(large.map((job) => finished(keys.a, job.id, 240_000)));
    const lastStart = Date.parse(largeDone.find((job) => job.id === queuedAhead.id)!.startedAt!);
    console.info(
      `fairness: tenant B's ${SMALL_ROWS}-row file finished ${(waitMs / 1000).toFixed(1)} s after its upload, ` +
        `${((lastStart - Date.parse(smallDone.finishedAt!)) / 1000).toFixed(1)} s before tenant A's last queued ` +
        `${LARGE_ROWS}-row file started; A's files finished at ` +
        largeDone.map((job) => `${((Date.parse(job.finishedAt!) - Date.parse(small.createdAt)) / 1000).toFixed(1)} s`).join(', '),
    );

    expect(smallDone).toMatchObject({ status: 'completed', successRows: SMALL_ROWS, failedRows: 0 });
    expect(waitMs).toBeLessThan(BOUND_MS);
    expect(Date.parse(smallDone.finishedAt!)).toBeLessThan(lastStart);
    expect(t.stack.logs('processor')).toMatch(
      new RegExp(`"lane":"small"[^\\n]*"jobId":"${small.id}"|"jobId":"${small.id}"[^\\n]*"lane":"small"`),
    );

    // Every guarantee holds for all of them: each job exact, the table holding each file's valid rows once.
    for (const [i, job] of largeDone.entries())
      expect(job).toMatchObject({ status: 'completed', totalRows: LARGE_ROWS, successRows: files[i]!.valid });
    const [table] = await t.sql<{ count: string }[]>`select count(*)::text as count from contacts`;
    expect(Number(table?.count)).toBe(files.reduce((sum, file) => sum + file.valid, 0));
  });
});
