import { describe, expect, it, vi } from 'vitest';
import { makeJob } from '../testing/factories';
import { createHttp } from './http';

// Uploads go through XMLHttpRequest, not fetch (fetch cannot report upload progress): their own fake, their own file.

/** Just enough XMLHttpRequest to see what an upload sends and to answer it. */
class FakeXhr {
  static last: FakeXhr;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: FormData | null = null;
  status = 0;
  responseText = '';
  upload: { onprogress: ((e: ProgressEvent) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

describe('upload', () => {
  const file = new File(['id,email\n1,a@b.c\n'], 'people.csv', { type: 'application/vnd.ms-excel' });
  const setup = () => {
    const onUnauthorized = vi.fn();
    const api = createHttp({ getKey: () => 'secret', onUnauthorized, XMLHttpRequest: FakeXhr as unknown as typeof XMLHttpRequest });
    return { api, onUnauthorized };
  };

  it('posts multipart with the fields first, the key and the Idempotency-Key, and reports progress', async () => {
    const { api } = setup();
    const progress = vi.fn();
    const pending = api.upload(file, { template: 'products', onDuplicate: 'last' }, { idempotencyKey: 'idem-1', onProgress: progress });
    const xhr = FakeXhr.last;
    expect([xhr.method, xhr.url]).toEqual(['POST', '/api/imports']);
    expect(xhr.headers).toEqual({ 'x-api-key': 'secret', 'idempotency-key': 'idem-1' });
    expect([...(xhr.body?.keys() ?? [])]).toEqual(['template', 'onDuplicate', 'file']);
    const sent = xhr.body?.get('file') as File;
    expect([sent.name, sent.type]).toEqual(['people.csv', 'text/csv']);
    xhr.upload.onprogress?.({ loaded: 5, total: 17, lengthComputable: true } as ProgressEvent);
    expect(progress).toHaveBeenCalledWith(5, 17);
    const job = makeJob({ filename: 'people.csv' });
    xhr.answer(202, job);
    await expect(pending).resolves.toEqual(job);
  });

  it('sends the optional fields before the file: table, sheet, mapping as JSON text, dryRun, the failure policy', () => {
    const { api } = setup();
    void api.upload(
      file,
      { template: 'contacts', onDuplicate: 'error', sheet: 'Data', mapping: { 'E-mail': 'email', Nick: null }, dryRun: true },
      { idempotencyKey: 'k' },
    );
    const body = FakeXhr.last.body!;
    expect([...body.keys()]).toEqual(['template', 'onDuplicate', 'sheet', 'mapping', 'dryRun', 'file']);
    expect(JSON.parse(body.get('mapping') as string)).toEqual({ 'E-mail': 'email', Nick: null });
    expect(body.get('dryRun')).toBe('true');

    void api.upload(
      file,
      { template: 'contacts', onDuplicate: 'error', maxErrors: 0, maxErrorRate: 0.025, atomic: true },
      { idempotencyKey: 'k3' },
    );
    expect([...FakeXhr.last.body!.entries()].slice(2, 5)).toEqual([
      ['maxErrors', '0'],
      ['maxErrorRate', '0.025'],
      ['atomic', 'true'],
    ]);

    void api.upload(file, { template: 'auto', table: 'people', onDuplicate: 'last' }, { idempotencyKey: 'k2' });
    expect([...FakeXhr.last.body!.entries()].slice(0, 3)).toEqual([
      ['template', 'auto'],
      ['onDuplicate', 'last'],
      ['table', 'people'],
    ]);
  });

  it.each([
    [413, 'payload_too_large', 'The file is larger than the limit of 10 bytes'],
    [415, 'unsupported_media_type', 'Only CSV files are accepted'],
    [400, 'empty_file', 'The file is empty'],
  ])('rejects with the server message on %i', async (status, code, message) => {
    const { api } = setup();
    const pending = api.upload(file, { template: 'contacts', onDuplicate: 'error' }, { idempotencyKey: 'k' });
    FakeXhr.last.answer(status, { error: { code, message } });
    await expect(pending).rejects.toMatchObject({ status, code, message });
  });

  it('reports a 401 and a dropped connection', async () => {
    const { api, onUnauthorized } = setup();
    const refused = api.upload(file, { template: 'contacts', onDuplicate: 'error' }, { idempotencyKey: 'k' });
    FakeXhr.last.answer(401, { error: { code: 'unauthorized', message: 'no' } });
    await expect(refused).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledOnce();

    const dropped = api.upload(file, { template: 'contacts', onDuplicate: 'error' }, { idempotencyKey: 'k' });
    FakeXhr.last.onerror?.();
    await expect(dropped).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('aborts through the signal', async () => {
    const { api } = setup();
    const controller = new AbortController();
    const pending = api.upload(file, { template: 'contacts', onDuplicate: 'error' }, { idempotencyKey: 'k', signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });
});
