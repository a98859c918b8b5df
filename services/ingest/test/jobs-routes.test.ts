import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_TEMPLATES, JobList } from '@docprocessor/contracts';
import { importFailedRows, importJobs, importRowErrors } from '@docprocessor/db';
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
    expect(res.json()).toEqual({
      status: 'ok',
      checks: { database: { ok: true }, nats: { ok: true } },
      maxUploadBytes: h.ctx.config.MAX_UPLOAD_BYTES,
    });
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

  it('filters by template, file name (any case, % taken literally) and creation time, and pages within the filter', async () => {
    const tag = `hist${Date.now()}`;
    const names = [`${tag}-a.csv`, `${tag}-B.csv`, `${tag}-c.csv`, `other-${tag}%.csv`];
    const ids: string[] = [];
    for (const [i, filename] of names.entries()) {
      const { id } = (await upload(h, contactsCsv(1))).json();
      const createdAt = new Date(Date.UTC(2026, 0, i + 1, 10));
      await h.ctx.db.db.update(importJobs).set({ filename, createdAt }).where(eq(importJobs.id, id));
      ids.push(id);
    }
    const [a, b, c, other] = ids as [string, string, string, string];
    await h.ctx.db.db.update(importJobs).set({ template: 'products' }).where(eq(importJobs.id, c));
    const list = async (query: string) => JobList.parse((await get(`/api/imports?${query}`)).json()).items.map((j) => j.id);

    expect(await list(`q=${tag.toUpperCase()}-b`)).toEqual([b]);
    expect(await list(`q=${tag}`)).toEqual([other, c, b, a]);
    expect(await list(`q=${encodeURIComponent(`${tag}%`)}`)).toEqual([other]);
    expect(await list(`q=${tag}&template=products`)).toEqual([c]);
    expect(await list(`q=${tag}&from=2026-01-02T00:00:00Z&to=2026-01-04T00:00:00Z`)).toEqual([c, b]);
    const first = JobList.parse((await get(`/api/imports?q=${tag}&template=contacts&limit=2`)).json());
    expect(first.items.map((j) => j.id)).toEqual([other, b]);
    expect(await list(`q=${tag}&template=contacts&limit=2&cursor=${first.nextCursor}`)).toEqual([a]);
    expect((await get('/api/imports?from=yesterday')).statusCode).toBe(400);
    expect((await get(`/api/imports?q=${'x'.repeat(201)}`)).statusCode).toBe(400);
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
  it('pages errors with a total, and serves failed rows under the file header with _row and _errors, spreadsheet-safe', async () => {
    const { id } = (await upload(h, contactsCsv(1))).json();
    await h.ctx.db.db
      .update(importJobs)
      .set({ fileHeader: ['id', 'email', 'amount', 'notes'] })
      .where(eq(importJobs.id, id));
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
      { jobId: id, row: 3, column: null, value: null, code: 'column_count', message: 'has 5 fields where the header has 4' },
    ]);
    await h.ctx.db.db.insert(importFailedRows).values([
      { jobId: id, row: 1, cells: ['1', 'a@b.co', '-5', "'quoted"] },
      { jobId: id, row: 3, cells: ['3', '=HYPERLINK("http://x")', '1', '@SUM(A1)', 'past the header'] },
    ]);
    const first = (await get(`/api/imports/${id}/errors?limit=2`)).json();
    expect(first.total).toBe(4);
    expect(first.items.map((e: { row: number }) => e.row)).toEqual([1, 2]);
    const second = (await get(`/api/imports/${id}/errors?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({
      items: [
        expect.objectContaining({ row: 3, column: 'email', code: 'invalid_email' }),
        expect.objectContaining({ row: 3, code: 'column_count' }),
      ],
      total: 4,
      nextCursor: null,
    });

    const csv = await get(`/api/imports/${id}/errors.csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')).toEqual([
      '\uFEFFid,email,amount,notes,_row,_errors',
      "1,a@b.co,'-5,''quoted,1,amount: must be 0 or more",
      // Row 2's cells were not kept: the line is there, to be filled in.
      ',,,,2,notes: x',
      `3,"'=HYPERLINK(""http://x"")",1,'@SUM(A1),3,email: is not a valid email address; has 5 fields where the header has 4`,
      '',
    ]);
  });

  it('filters errors by code and column, and counts them per code and column, most frequent first', async () => {
    const { id } = (await upload(h, contactsCsv(1))).json();
    const error = (row: number, column: string | null, code: string) => ({ jobId: id, row, column, value: 'x', code, message: code });
    await h.ctx.db.db
      .insert(importRowErrors)
      .values([
        error(1, 'email', 'invalid_email'),
        error(2, 'email', 'invalid_email'),
        error(2, 'amount', 'invalid_decimal'),
        error(4, 'email', 'invalid_email'),
        error(5, 'id', 'invalid_email'),
        error(6, null, 'column_count'),
      ]);
    const summary = await get(`/api/imports/${id}/errors/summary`);
    expect(summary.json()).toEqual({
      items: [
        { code: 'invalid_email', column: 'email', count: 3 },
        { code: 'column_count', column: null, count: 1 },
        { code: 'invalid_decimal', column: 'amount', count: 1 },
        { code: 'invalid_email', column: 'id', count: 1 },
      ],
      total: 6,
    });
    const byCode = (await get(`/api/imports/${id}/errors?code=invalid_email&limit=2`)).json();
    expect(byCode).toMatchObject({ total: 4, items: [{ row: 1 }, { row: 2 }] });
    const rest = (await get(`/api/imports/${id}/errors?code=invalid_email&limit=2&cursor=${byCode.nextCursor}`)).json();
    expect(rest).toMatchObject({
      total: 4,
      items: [
        { row: 4, column: 'email' },
        { row: 5, column: 'id' },
      ],
      nextCursor: null,
    });
    const both = (await get(`/api/imports/${id}/errors?code=invalid_email&column=email`)).json();
    expect(both.items.map((e: { row: number }) => e.row)).toEqual([1, 2, 4]);
    expect((await get('/api/imports/00000000-0000-4000-8000-000000000000/errors/summary')).statusCode).toBe(404);
  });

  it('ends the CSV with a line saying how many errors were found but not stored', async () => {
    const { id } = (await upload(h, contactsCsv(1))).json();
    await h.ctx.db.db
      .update(importJobs)
      .set({ fileHeader: ['id', 'name'] })
      .where(eq(importJobs.id, id));
    await h.ctx.db.db
      .insert(importRowErrors)
      .values([{ jobId: id, row: 4, column: 'id', value: 'x', code: 'invalid_integer', message: 'is not a whole number' }]);
    await h.ctx.db.db.insert(importFailedRows).values([{ jobId: id, row: 4, cells: ['x', 'Ada'] }]);
    await h.ctx.db.db.update(importJobs).set({ errorsTotal: 25_001 }).where(eq(importJobs.id, id));
    expect((await get(`/api/imports/${id}/errors`)).json()).toMatchObject({ total: 25_001 });
    expect((await get(`/api/imports/${id}/errors.csv`)).body.split('\r\n')).toEqual([
      '\uFEFFid,name,_row,_errors',
      'x,Ada,4,id: is not a whole number',
      ',,,25000 more row errors were found; only the first 1 are stored with detail and listed here',
      '',
    ]);
  });

  it('404s the errors of an unknown job', async () => {
    expect((await get('/api/imports/00000000-0000-4000-8000-000000000000/errors')).statusCode).toBe(404);
    expect((await get('/api/imports/00000000-0000-4000-8000-000000000000/errors.csv')).statusCode).toBe(404);
  });
});

describe('cancel and retry', () => {
  /** The jobs ingest itself ended as cancelled (pending ones), as /metrics says. */
  const cancelledHere = async () => {
    const text = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    return Number(/^docprocessor_jobs_finished_total\{status="cancelled",template="contacts"\} (\d+)$/m.exec(text)?.[1] ?? 0);
  };

  it('cancels a pending job at once and publishes cancelled', async () => {
    const { id } = (await upload(h, contactsCsv(1))).json();
    const counted = await cancelledHere();
    const res = await post(`/api/imports/${id}/cancel`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, status: 'cancelled', finishedAt: expect.any(String) });
    expect(await lastEvent(h, id, 'cancelled')).toMatchObject({ type: 'cancelled', job: { status: 'cancelled' } });
    expect((await post(`/api/imports/${id}/cancel`)).statusCode).toBe(409);
    // No worker will end it: ingest counts its end, once.
    expect(await cancelledHere()).toBe(counted + 1);
  });

  it('flags a processing job for its worker to stop', async () => {
    const { id } = (await upload(h, contactsCsv(1))).json();
    await h.ctx.db.db.update(importJobs).set({ status: 'processing' }).where(eq(importJobs.id, id));
    const counted = await cancelledHere();
    const res = await post(`/api/imports/${id}/cancel`);
    expect(res.statusCode).toBe(202);
    expect(await cancelledHere()).toBe(counted); // its worker counts it when it stops
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
