import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_TEMPLATES, JobList } from '@docprocessor/contracts';
import { importJobs, importRowErrors } from '@docprocessor/db';
import { eq } from 'drizzle-orm';
import { API_KEY, build, contactsCsv, lastEvent, upload, type Harness } from './helper.js';

let h: Harness;
beforeAll(async () => {
  h = await build();
});
afterAll(() => h.close());

const get = (url: string, key: string | null = API_KEY) =>
  h.app.inject({ method: 'GET', url, headers: key === null ? {} : { 'x-api-key': key } });
const post = (url: string) => h.app.inject({ method: 'POST', url, headers: { 'x-api-key': API_KEY } });

describe('authentication', () => {
  it.each([null, 'wrong-key'])('answers 401 to key %j', async (key) => {
    const res = await get('/api/imports', key);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('serves health without a key, with both checks', async () => {
    const res = await get('/api/health', null);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', checks: { database: { ok: true }, nats: { ok: true } } });
  });

  it('answers unknown routes with the error shape', async () => {
    const res = await get('/api/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});

describe('reading jobs', () => {
  it('lists jobs newest first with a cursor that pages without gaps', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await upload(h, contactsCsv(i + 1))).json().id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/api/imports?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const page = JobList.parse(res.json());
      seen.push(...page.items.map((j) => j.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it('filters by status and refuses bad query values', async () => {
    const pending = JobList.parse((await get('/api/imports?status=pending')).json());
    expect(pending.items.every((j) => j.status === 'pending')).toBe(true);
    expect((await get('/api/imports?status=nonsense')).statusCode).toBe(400);
    expect((await get('/api/imports?limit=0')).statusCode).toBe(400);
    expect((await get('/api/imports?cursor=garbage')).statusCode).toBe(400);
  });

  it('gets one job and 404s an unknown or malformed id', async () => {
    const { id } = (await upload(h, contactsCsv(1))).json();
    expect((await get(`/api/imports/${id}`)).json().id).toBe(id);
    expect((await get('/api/imports/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await get('/api/imports/not-a-uuid')).statusCode).toBe(404);
  });

  it('serves the templates', async () => {
    const res = await get('/api/templates');
    expect(res.json()).toEqual(BUILT_IN_TEMPLATES);
    expect(res.json()[0]).toMatchObject({
      name: 'contacts',
      key: ['id'],
      columns: expect.arrayContaining([{ name: 'id', type: 'integer', required: true, min: 1, max: Number.MAX_SAFE_INTEGER }]),
    });
  });

  it('serves Prometheus metrics', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('docprocessor_jobs_created_total');
  });
});

describe('row errors', () => {
  it('pages errors in row order with a total, and serves a spreadsheet-safe CSV', async () => {
    const { id } = (await upload(h, contactsCsv(1))).json();
    await h.ctx.db.db.insert(importRowErrors).values([
      {
        jobId: id,
        row: 3,
        column: 'email',
        value: '=HYPERLINK("http://x")',
        code: 'invalid_email',
        message: 'is not a valid email address',
      },
      { jobId: id, row: 1, column: 'amount', value: '-5', code: 'out_of_range', message: 'must be 0 or more' },
      { jobId: id, row: 2, column: 'notes', value: '@SUM(A1)', code: 'too_long', message: 'x' },
    ]);
    const first = (await get(`/api/imports/${id}/errors?limit=2`)).json();
    expect(first.total).toBe(3);
    expect(first.items.map((e: { row: number }) => e.row)).toEqual([1, 2]);
    const second = (await get(`/api/imports/${id}/errors?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toEqual({
      items: [expect.objectContaining({ row: 3, column: 'email', code: 'invalid_email' })],
      total: 3,
      nextCursor: null,
    });

    const csv = await get(`/api/imports/${id}/errors.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')).toEqual([
      'row,column,value,code,message',
      "1,amount,'-5,out_of_range,must be 0 or more",
      "2,notes,'@SUM(A1),too_long,x",
      `3,email,"'=HYPERLINK(""http://x"")",invalid_email,is not a valid email address`,
      '',
    ]);
  });

  it('ends the CSV with a line saying how many errors were found but not stored', async () => {
    const { id } = (await upload(h, contactsCsv(1))).json();
    await h.ctx.db.db
      .insert(importRowErrors)
      .values([{ jobId: id, row: 4, column: 'id', value: 'x', code: 'invalid_integer', message: 'is not a whole number' }]);
    await h.ctx.db.db.update(importJobs).set({ errorsTotal: 25_001 }).where(eq(importJobs.id, id));
    expect((await get(`/api/imports/${id}/errors`)).json()).toMatchObject({ total: 25_001 });
    expect((await get(`/api/imports/${id}/errors.csv`)).body.split('\r\n')).toEqual([
      'row,column,value,code,message',
      '4,id,x,invalid_integer,is not a whole number',
      ',,,errors_not_stored,25000 more row errors were found; only the first 1 are stored with detail',
      '',
    ]);
  });

  it('404s the errors of an unknown job', async () => {
    expect((await get('/api/imports/00000000-0000-4000-8000-000000000000/errors')).statusCode).toBe(404);
    expect((await get('/api/imports/00000000-0000-4000-8000-000000000000/errors.csv')).statusCode).toBe(404);
  });
});

describe('cancel and retry', () => {
  it('cancels a pending job at once and publishes cancelled', async () => {
    const { id } = (await upload(h, contactsCsv(1))).json();
    const res = await post(`/api/imports/${id}/cancel`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, status: 'cancelled', finishedAt: expect.any(String) });
    expect(await lastEvent(h, id, 'cancelled')).toMatchObject({ type: 'cancelled', job: { status: 'cancelled' } });
    expect((await post(`/api/imports/${id}/cancel`)).statusCode).toBe(409);
  });

  it('flags a processing job for its worker to stop', async () => {
    const { id } = (await upload(h, contactsCsv(1))).json();
    await h.ctx.db.db.update(importJobs).set({ status: 'processing' }).where(eq(importJobs.id, id));
    const res = await post(`/api/imports/${id}/cancel`);
    expect(res.statusCode).toBe(202);
    const [row] = await h.ctx.db.db.select().from(importJobs).where(eq(importJobs.id, id));
    expect(row?.cancelRequested).toBe(true);
  });

  it('retries a cancelled job as a new attempt with a new work item', async () => {
    const { id } = (await upload(h, contactsCsv(1))).json();
    await post(`/api/imports/${id}/cancel`);
    const res = await post(`/api/imports/${id}/retry`);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ id, status: 'pending', attempt: 2, processedRows: 0, finishedAt: null });
    expect(await lastEvent(h, id, 'created')).toMatchObject({ job: { attempt: 2 } });
    expect((await post(`/api/imports/${id}/retry`)).statusCode).toBe(409);
  });
});
