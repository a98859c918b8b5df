import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Job } from '@docprocessor/contracts';
import { API_KEY, build, contactsCsv, lastEvent, multipart, storedObjectNames, upload, type Harness } from './helper.js';

let h: Harness;
beforeAll(async () => {
  h = await build({ MAX_UPLOAD_BYTES: '20000' });
});
afterAll(() => h.close());

describe('POST /api/imports', () => {
  it('stores the file, creates a pending job and publishes the created work item', async () => {
    const csv = contactsCsv(5);
    const res = await upload(h, csv, { template: 'contacts' });
    expect(res.statusCode).toBe(202);
    const job = Job.parse(res.json());
    expect(job).toMatchObject({
      status: 'pending',
      template: 'contacts',
      filename: 'data.csv',
      sizeBytes: Buffer.byteLength(csv),
      sha256: createHash('sha256').update(csv).digest('hex'),
      totalRows: null,
      processedRows: 0,
      duplicateOf: null,
      error: null,
      onDuplicate: 'error',
      attempt: 1,
    });
    expect(await storedObjectNames(h)).toContain(job.id);
    const created = await lastEvent(h, job.id, 'created');
    expect(created).toMatchObject({ type: 'created', jobId: job.id, job: { id: job.id, status: 'pending' } });
  });

  it('accepts fields after the file and defaults the template to contacts', async () => {
    const body = multipart({ content: contactsCsv(1) }, { onDuplicate: 'last' }, true);
    const res = await h.app.inject({ method: 'POST', url: '/api/imports', ...body });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ template: 'contacts', onDuplicate: 'last' });
  });

  it('answers the same Idempotency-Key with the same job and creates nothing', async () => {
    const headers = { 'idempotency-key': 'abc-123' };
    const first = await upload(h, contactsCsv(2), {}, headers);
    const again = await upload(h, contactsCsv(2), {}, headers);
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const [{ n } = { n: -1 }] = await h.ctx.db.sql<
      { n: number }[]
    >`select count(*)::int as n from import_jobs where idempotency_key = 'abc-123'`;
    expect(n).toBe(1);
  });

  it('points a repeated file to the earlier job with duplicateOf', async () => {
    const csv = contactsCsv(7);
    const first = (await upload(h, csv)).json();
    const second = (await upload(h, csv)).json();
    expect(second.duplicateOf).toBe(first.id);
    const otherTemplate = (await upload(h, csv, { template: 'products' })).json();
    expect(otherTemplate.duplicateOf).toBeNull();
  });

  it('keeps the original filename only as cleaned metadata', async () => {
    const body = multipart({ content: contactsCsv(1), filename: '../../etc/pass\u0007wd.csv' });
    const res = await h.app.inject({ method: 'POST', url: '/api/imports', ...body });
    // busboy keeps only the base name; we strip control characters.
    expect(res.json().filename).toBe('passwd.csv');
    // Bidirectional overrides could make "evil\u202Evsc.exe" read as "evilexe.csv" in the UI: stripped too.
    const bidi = multipart({ content: contactsCsv(1), filename: 'report\u202Evsc.exe' });
    expect((await h.app.inject({ method: 'POST', url: '/api/imports', ...bidi })).json().filename).toBe('reportvsc.exe');
  });
});

describe('refusals keep nothing', () => {
  const refusals: Array<[string, () => ReturnType<typeof upload>, number, string]> = [
    ['an empty file', () => upload(h, ''), 400, 'empty_file'],
    ['binary content', () => upload(h, Buffer.from([0x41, 0x00, 0x42, 0x0a])), 415, 'unsupported_media_type'],
    ['a PDF', () => upload(h, Buffer.from('%PDF-1.7\n...')), 415, 'unsupported_media_type'],
    ['a gzip stream', () => upload(h, Buffer.from([0x1f, 0x8b, 0x08, 0x00])), 415, 'unsupported_media_type'],
    ['a file over MAX_UPLOAD_BYTES', () => upload(h, 'a,b\n'.repeat(6000)), 413, 'payload_too_large'],
    ['an unknown template', () => upload(h, contactsCsv(1), { template: 'invoices' }), 400, 'unknown_template'],
    ['a bad onDuplicate', () => upload(h, contactsCsv(1), { onDuplicate: 'first' }), 400, 'invalid_request'],
  ];

  it.each(refusals)('refuses %s', async (_name, send, status, code) => {
    const before = await storedObjectNames(h);
    const res = await send();
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ error: { code, message: expect.any(String) } });
    expect(await storedObjectNames(h)).toEqual(before);
  });

  it('refuses a form without a file', async () => {
    const body = multipart(null, { template: 'contacts' });
    const res = await h.app.inject({ method: 'POST', url: '/api/imports', ...body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('missing_file');
  });

  it('refuses a body that is not multipart', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/imports',
      payload: contactsCsv(1),
      headers: { 'content-type': 'text/csv', 'x-api-key': API_KEY },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });

  it('refuses a broken multipart body with 400', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/imports',
      payload: '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nid\n1',
      headers: { 'content-type': 'multipart/form-data; boundary=xyz', 'x-api-key': API_KEY },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
  });
});
