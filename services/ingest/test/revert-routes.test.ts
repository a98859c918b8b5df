import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { RepairItem, repairSubject, RevertPlan, type JobStatus } from '@docprocessor/contracts';
import { importJobs } from '@docprocessor/db';
import { API_KEY, build, contactsCsv, upload, type Harness } from './helper.js';

let h: Harness;
beforeAll(async () => {
  h = await build();
});
afterAll(() => h.close());

const get = (url: string) => h.app.inject({ method: 'GET', url, headers: { 'x-api-key': API_KEY } });
const post = (url: string) => h.app.inject({ method: 'POST', url, headers: { 'x-api-key': API_KEY } });

let nextId = 1;

/**
 * A job as a processor leaves it: uploaded, then `status`, with `inserted` contacts rows of its own and `updated`
 * rows it overwrote (each keeps a before-image naming its earlier writer). No processor runs here.
 */
async function finishedJob(status: JobStatus, { inserted = 0, updated = 0, over = null as string | null, dryRun = false } = {}) {
  const { id } = (await upload(h, contactsCsv(1))).json<{ id: string }>();
  await h.ctx.db.db.update(importJobs).set({ status, dryRun, finishedAt: new Date() }).where(eq(importJobs.id, id));
  const runId = randomUUID();
  for (let i = 0; i < inserted + updated; i++) {
    const key = nextId++;
    await h.ctx.db.sql`insert into contacts
        (id, email, first_name, last_name, country, signup_date, amount, active, import_job_id, import_run_id, source_row)
      values (${key}, ${`c${key}@example.com`}, 'Ada', 'L', 'GB', '2024-01-01', 1, true, ${id}, ${runId}, ${i + 1})`;
    if (i >= inserted)
      await h.ctx.db.sql`insert into import_before_images (job_id, target, previous_job_id, row_count, image)
        values (${id}, '"public"."contacts"', ${over}, 1, ${JSON.stringify([{ id: key, email: 'earlier@example.com' }])}::json)`;
  }
  return id;
}

async function lastRepair(jobId: string): Promise<RepairItem | null> {
  try {
    const message = await h.ctx.bus.jsm.streams.getMessage(h.ctx.bus.names.stream, {
      last_by_subj: repairSubject(h.ctx.bus.names, jobId, 'revert'),
    });
    return message ? RepairItem.parse(message.json()) : null;
  } catch {
    return null;
  }
}

const refusal = (res: { statusCode: number; json(): unknown }) => [res.statusCode, (res.json() as { error: { code: string } }).error.code];

describe('GET /api/imports/:id/revert', () => {
  it('answers the plan (rows to delete, to restore, conflicts, expired) and changes nothing', async () => {
    const id = await finishedJob('completed', { inserted: 3, updated: 2 });
    const res = await get(`/api/imports/${id}/revert`);
    expect(res.statusCode).toBe(200);
    expect(RevertPlan.parse(res.json())).toEqual({ toDelete: 3, toRestore: 2, conflicts: [], expired: false });
    const [row] = await h.ctx.db.db.select().from(importJobs).where(eq(importJobs.id, id));
    expect(row?.revert).toBeNull();
  });

  it("404s an unknown job and another tenant's", async () => {
    expect(refusal(await get(`/api/imports/${randomUUID()}/revert`))).toEqual([404, 'not_found']);
    const id = await finishedJob('completed', { inserted: 1 });
    await h.ctx.db.db.update(importJobs).set({ tenantId: 'someone-else' }).where(eq(importJobs.id, id));
    expect(refusal(await get(`/api/imports/${id}/revert`))).toEqual([404, 'not_found']);
    expect(refusal(await post(`/api/imports/${id}/revert`))).toEqual([404, 'not_found']);
  });
});

describe('POST /api/imports/:id/revert', () => {
  it('answers 202 with the job, revert set and counted, and queues the revert; a second request is refused', async () => {
    const id = await finishedJob('cancelled', { inserted: 2, updated: 1 });
    const res = await post(`/api/imports/${id}/revert`);
    expect(res.statusCode).toBe(202);
    const job = res.json();
    expect(job).toMatchObject({
      id,
      status: 'cancelled',
      revert: { toDelete: 2, toRestore: 1, done: 0, error: null, requestedAt: expect.any(String) },
    });
    expect(await lastRepair(id)).toMatchObject({ kind: 'revert', jobId: id, fixId: null, at: job.revert.requestedAt });
    const again = await post(`/api/imports/${id}/revert`);
    expect(refusal(again)).toEqual([409, 'invalid_state']);
    expect(again.json().error.message).toBe('A revert of this import is already under way');
  });

  it('refuses with invalid_state a dry run, a reverted job and one not finished, queueing nothing', async () => {
    const cases: Array<[string, string]> = [
      [await finishedJob('completed', { dryRun: true }), 'A dry run wrote nothing to the table, so there is nothing to revert'],
      [await finishedJob('reverted', { inserted: 1 }), 'The import is already reverted'],
      [await finishedJob('pending'), 'Only a finished import can be reverted; this one is pending'],
      [await finishedJob('processing', { inserted: 1 }), 'Only a finished import can be reverted; this one is processing'],
    ];
    for (const [id, message] of cases) {
      const res = await post(`/api/imports/${id}/revert`);
      expect([...refusal(res), res.json().error.message]).toEqual([409, 'invalid_state', message]);
      expect(await lastRepair(id)).toBeNull();
    }
  });

  it('refuses with revert_conflict when a later import changed the same rows, saying how many and which', async () => {
    const id = await finishedJob('completed', { inserted: 3 });
    const later = await finishedJob('completed', { updated: 2, over: id });
    const other = await finishedJob('failed', { updated: 1, over: id });
    const plan = (await get(`/api/imports/${id}/revert`)).json();
    expect(plan).toEqual({
      toDelete: 3,
      toRestore: 0,
      conflicts: [
        { jobId: later, rows: 2 },
        { jobId: other, rows: 1 },
      ],
      expired: false,
    });
    const res = await post(`/api/imports/${id}/revert`);
    expect(refusal(res)).toEqual([409, 'revert_conflict']);
    expect(res.json().error.message).toBe(
      `3 rows this import wrote were changed by a later import since: ${later} (2 rows), ${other} (1 row). ` +
        'Revert those first (newest first); nothing was changed',
    );
    const [row] = await h.ctx.db.db.select().from(importJobs).where(eq(importJobs.id, id));
    expect(row?.revert).toBeNull();
    expect(await lastRepair(id)).toBeNull();
  });

  it('refuses with revert_expired once retention dropped the images, and says so in the plan', async () => {
    const id = await finishedJob('completed', { inserted: 1, updated: 1 });
    await h.ctx.db.db.update(importJobs).set({ beforeImagesDroppedAt: new Date() }).where(eq(importJobs.id, id));
    expect((await get(`/api/imports/${id}/revert`)).json()).toMatchObject({ expired: true });
    const res = await post(`/api/imports/${id}/revert`);
    expect(refusal(res)).toEqual([409, 'revert_expired']);
    expect(res.json().error.message).toMatch(/can no longer be reverted: .*BEFORE_IMAGE_RETENTION_DAYS; nothing was changed$/);
  });

  it('may be asked for again after the processor refused it', async () => {
    const id = await finishedJob('completed', { inserted: 1 });
    const refused = {
      requestedAt: new Date().toISOString(),
      toDelete: 1,
      toRestore: 0,
      done: 0,
      error: { code: 'revert_conflict', message: 'x' },
    };
    await h.ctx.db.db.update(importJobs).set({ revert: refused }).where(eq(importJobs.id, id));
    const res = await post(`/api/imports/${id}/revert`);
    expect(res.statusCode).toBe(202);
    expect(res.json().revert).toMatchObject({ toDelete: 1, done: 0, error: null });
  });
});
