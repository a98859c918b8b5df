import { readdir, readFile } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { REPO_ROOT } from '../src/stack.js';
import { HEADER, row, useBadInputStack } from './support/bad-input-stack.js';
import { expectStackAlive } from './support/checks.js';
import { call, errorCodeOf, uploadBytes } from './support/http.js';
import { eventually } from './support/wait.js';

/** The opening of a multipart body's file part, as a client writing the form by hand sends it. */
const filePartHead = (boundary: string, filename: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: text/csv\r\n\r\n`;

const SPECTRUM_DIR = `${REPO_ROOT}node_modules/csv-spectrum/csvs/`;

/**
 * Every kind of bad request a person or a script can send, through the real stack: each gets a clear answer
 * (a 4xx with the error shape, or a job that ends with a stable code), nothing gets a 5xx, no process dies.
 * Bad file contents are in e2e-bad-csv.test.ts.
 */
describe('bad requests of every kind get a clear answer and leave every process running', { timeout: 150_000 }, () => {
  const t = useBadInputStack('e2e_bad_input');

  it('refuses empty, binary, PDF, image, spreadsheet and corrupt gzip uploads before anything is kept', async () => {
    const jobsBefore = await t.jobCount();
    const objectsBefore = await t.storedObjects();

    await t.refused(await uploadBytes(t.stack, new Uint8Array(0)), 400, 'empty_file');
    // Gzip of nothing is empty too once unpacked.
    await t.refused(await uploadBytes(t.stack, gzipSync(Buffer.alloc(0)), { filename: 'empty.csv.gz' }), 400, 'empty_file');

    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const pdf = Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
    const xlsx = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('[Content_Types].xml'), Buffer.alloc(64, 2)]);
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(64)]);
    const corruptGzip = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.from('this is not deflate data at all, sorry')]);
    const nulInText = Buffer.from(`${HEADER}\n${row(1)}\n1,a\u0000b@example.com,A,B,,GB,2020-01-01,1,true,\n`);
    for (const [name, bytes] of Object.entries({ binary, pdf, png, xlsx, elf, corruptGzip, nulInText })) {
      // Named and typed as CSV on purpose: the content decides, not the name.
      const answer = await uploadBytes(t.stack, bytes, { filename: `${name}.csv`, type: 'text/csv' });
      await t.refused(answer, 415, 'unsupported_media_type');
      expect((answer.body as { error: { message: string } }).error.message.length, name).toBeGreaterThan(10);
    }
    const pdfAnswer = await uploadBytes(t.stack, pdf, { filename: 'report.csv' });
    expect((pdfAnswer.body as { error: { message: string } }).error.message).toMatch(/PDF/);

    expect(await t.jobCount()).toBe(jobsBefore);
    expect(await t.storedObjects()).toBe(objectsBefore);
  });

  it('refuses malformed requests: not multipart, no file, two files, broken multipart, bad fields, unknown template', async () => {
    const jobsBefore = await t.jobCount();
    const csv = `${HEADER}\n${row(1)}\n`;
    const post = (body: RequestInit['body'], headers: Record<string, string>) =>
      call(t.stack, '/api/imports', { method: 'POST', body, headers });

    await t.refused(await post(JSON.stringify({ file: csv }), { 'content-type': 'application/json' }), 415, 'unsupported_media_type');
    await t.refused(await post(csv, { 'content-type': 'text/csv' }), 415, 'unsupported_media_type');
    await t.refused(await call(t.stack, '/api/imports', { method: 'POST' }), 415, 'unsupported_media_type');

    const fieldsOnly = new FormData();
    fieldsOnly.append('template', 'contacts');
    await t.refused(await post(fieldsOnly, {}), 400, 'missing_file');

    const twoFiles = new FormData();
    twoFiles.append('file', new Blob([csv], { type: 'text/csv' }), 'a.csv');
    twoFiles.append('file', new Blob([csv], { type: 'text/csv' }), 'b.csv');
    await t.refused(await post(twoFiles, {}), 400, 'invalid_request');

    const wrongField = new FormData();
    wrongField.append('upload', new Blob([csv], { type: 'text/csv' }), 'a.csv');
    await t.refused(await post(wrongField, {}), 400, 'invalid_request');

    const boundary = 'XyZ123';
    const truncated = `${filePartHead(boundary, 'a.csv')}${csv}`;
    await t.refused(await post(truncated, { 'content-type': `multipart/form-data; boundary=${boundary}` }), 400, 'invalid_request');
    const noBoundary = await post(`--x\r\n\r\n`, { 'content-type': 'multipart/form-data' });
    expect([400, 415], noBoundary.text).toContain(noBoundary.status);
    expect(errorCodeOf(noBoundary), noBoundary.text).toMatch(/^(invalid_request|unsupported_media_type)$/);
    await t.refused(
      await post('garbage without any boundary', { 'content-type': `multipart/form-data; boundary=${boundary}` }),
      400,
      'invalid_request',
    );

    await t.refused(await uploadBytes(t.stack, csv, { fields: { template: 'invoices' } }), 400, 'unknown_template');
    const longTemplate = await uploadBytes(t.stack, csv, { fields: { template: 'x'.repeat(500) } });
    expect(longTemplate.status, longTemplate.text).toBe(400);
    expect(['invalid_request', 'unknown_template']).toContain(errorCodeOf(longTemplate));
    await t.refused(await uploadBytes(t.stack, csv, { fields: { onDuplicate: 'sometimes' } }), 400, 'invalid_request');
    await t.refused(await uploadBytes(t.stack, csv, { fields: { encoding: 'ebcdic' } }), 400, 'invalid_request');
    await t.refused(await uploadBytes(t.stack, csv, { fields: { delimiter: '#' } }), 400, 'invalid_request');
    await t.refused(await uploadBytes(t.stack, csv, { idempotencyKey: 'k'.repeat(201) }), 400, 'invalid_request');

    expect(await t.jobCount()).toBe(jobsBefore);
    await expectStackAlive(t.stack);
  });

  it('takes a whole request sent with Content-Encoding: gzip through the gateway, and refuses one that unpacks to junk', async () => {
    const form = new FormData();
    form.append('file', new Blob([`${[HEADER, row(1001), row(1002)].join('\n')}\n`], { type: 'text/csv' }), 'encoded.csv');
    const encoded = new Request('http://localhost/', { method: 'POST', body: form });
    const headers = { 'content-type': encoded.headers.get('content-type')!, 'content-encoding': 'gzip' };
    const body = gzipSync(Buffer.from(await encoded.arrayBuffer()));
    const answer = await call<Job>(t.stack, '/api/imports', { method: 'POST', body, headers });
    expect(answer.status, answer.text).toBe(202);
    await t.nats.waitForTerminal(answer.body.id, 60_000);
    expect((await call<Job>(t.stack, `/api/imports/${answer.body.id}`)).body).toMatchObject({
      status: 'completed',
      filename: 'encoded.csv',
      successRows: 2,
    });

    const junk = await call(t.stack, '/api/imports', { method: 'POST', body: gzipSync(Buffer.alloc(200_000, 0x61)), headers });
    await t.refused(junk, 400, 'invalid_request');
    await expectStackAlive(t.stack);
  });

  it('an upload the client drops halfway ends at ingest at once, keeps nothing, and is not logged as an outage', async () => {
    const jobsBefore = await t.jobCount();
    const objectsBefore = await t.storedObjects();
    const boundary = '----dropped';
    const head = `${filePartHead(boundary, 'dropped.csv')}${HEADER}\n`;
    const { hostname, port } = new URL(t.stack.url);
    const socket = connectTcp({ host: hostname, port: Number(port) });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /api/imports HTTP/1.1\r\nHost: ${hostname}\r\nX-API-Key: ${t.stack.apiKey}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 50000000\r\n\r\n${head}`,
    );
    for (let i = 0; i < 200; i++) socket.write(`${row(20_000 + i)}\n`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.destroy();
    await eventually(
      async () => t.stack.logs('ingest').includes('the client closed the request before it was complete') || undefined,
      'ingest to notice the dropped upload',
      10_000,
    );
    expect(t.stack.logs('ingest')).not.toMatch(/database_unavailable/);
    expect(await t.jobCount()).toBe(jobsBefore);
    expect(await t.storedObjects()).toBe(objectsBefore);
    await expectStackAlive(t.stack);
  });

  it('cleans hostile filenames and answers cancel/retry of finished jobs with 409; unknown routes with 404', async () => {
    const named = await t.importFile(`${HEADER}\n${row(801)}\n`, { filename: '../../etc/pass\u0007wd\\x.csv' });
    // Only the base name is kept (no path, no control characters).
    expect(named.filename).not.toMatch(/[/\\\u0000-\u001f]|\.\./);
    expect(named.filename).toMatch(/\.csv$/);

    const cancel = await call(t.stack, `/api/imports/${named.id}/cancel`, { method: 'POST' });
    await t.refused(cancel, 409, 'invalid_state');
    await t.refused(await call(t.stack, `/api/imports/${named.id}/retry`, { method: 'POST' }), 409, 'invalid_state');

    // Retrying a file that failed validation runs it again, and it fails the same clear way.
    const bad = await t.importFile('foo,bar\n1,2\n', { filename: 'retry-me.csv' });
    const retried = await call<Job>(t.stack, `/api/imports/${bad.id}/retry`, { method: 'POST' });
    expect(retried.status, retried.text).toBe(202);
    const again = await eventually(async () => {
      const job = (await call<Job>(t.stack, `/api/imports/${bad.id}`)).body;
      return job.attempt === 2 && job.status === 'failed' ? job : undefined;
    }, 'the retried job to fail again');
    expect(again.error).toMatchObject({ kind: 'validation', code: 'missing_columns' });

    for (const [method, path] of [
      ['GET', '/api/nothing-here'],
      ['DELETE', `/api/imports/${named.id}`],
    ] as const) {
      const answer = await call(t.stack, path, { method });
      expect([404, 405], `${method} ${path}: ${answer.text}`).toContain(answer.status);
      expect(errorCodeOf(answer), answer.text).toBeDefined();
    }
    const badEscape = await call(t.stack, '/api/imports/%zz');
    await t.refused(badEscape, 400, 'invalid_request');
  });

  // Refused by ingest's router (Fastify maxParamLength 100) before any hook: still the contract's shape.
  it('an over-long job id gets the contract error shape', async () => {
    const longId = await call(t.stack, `/api/imports/${'x'.repeat(500)}`);
    expect([400, 404, 414], longId.text).toContain(longId.status);
    expect(errorCodeOf(longId), longId.text).toBeDefined();
  });

  it('the csv-spectrum files (not contacts) each end in a clear missing_columns failure, never a 5xx', async () => {
    const files = (await readdir(SPECTRUM_DIR)).filter((f) => f.endsWith('.csv')).sort();
    expect(files.length).toBeGreaterThanOrEqual(12);
    const accepted = await Promise.all(
      files.map(async (name) => {
        const answer = await uploadBytes(t.stack, await readFile(`${SPECTRUM_DIR}${name}`), { filename: name });
        expect(answer.status, `${name}: ${answer.text}`).toBe(202);
        return { name, id: answer.body.id };
      }),
    );
    for (const { name, id } of accepted) {
      await t.nats.waitForTerminal(id);
      const job = (await call<Job>(t.stack, `/api/imports/${id}`)).body;
      expect(job, name).toMatchObject({ status: 'failed', processedRows: 0, error: { kind: 'validation', code: 'missing_columns' } });
      expect(job.error!.message.length, name).toBeGreaterThan(10);
    }
  });

  it('after all of it every process is still running and healthy', async () => {
    await t.expectStillWell();
  });
});
