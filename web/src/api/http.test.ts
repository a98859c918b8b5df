import { describe, expect, it, vi } from 'vitest';
import { makeJob } from '../testing/factories';
import { ApiError, toApiError } from './errors';
import { createHttp } from './http';

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

function http(fetchImpl: typeof fetch, key: string | null = 'secret') {
  const onUnauthorized = vi.fn();
  const api = createHttp({ getKey: () => key, onUnauthorized, fetch: fetchImpl });
  return { api, onUnauthorized };
}

describe('toApiError', () => {
  it('takes code and message from the contract body', () => {
    const error = toApiError(413, JSON.stringify({ error: { code: 'payload_too_large', message: 'The file is larger than the limit' } }));
    expect(error).toBeInstanceOf(ApiError);
    expect([error.status, error.code, error.message]).toEqual([413, 'payload_too_large', 'The file is larger than the limit']);
  });

  it('falls back to a readable message when a proxy answers in HTML', () => {
    expect(toApiError(413, '<html>Request Entity Too Large</html>').code).toBe('payload_too_large');
    expect(toApiError(415, '').message).toMatch(/CSV/);
    expect(toApiError(502, 'Bad Gateway').message).toMatch(/HTTP 502/);
    expect(toApiError(418, '').code).toBe('http_error');
  });
});

describe('createHttp', () => {
  it('sends the API key and parses the answer with the contract schema', async () => {
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(json(200, { items: [], total: 0, nextCursor: null }));
    const { api } = http(fetchImpl);
    await expect(api.listErrors('job/1', 'c1', 50)).resolves.toEqual({ items: [], total: 0, nextCursor: null });
    const [url, init] = fetchImpl.mock.calls[0] ?? [];
    expect(url).toBe('/api/imports/job%2F1/errors?limit=50&cursor=c1');
    expect(new Headers(init?.headers).get('x-api-key')).toBe('secret');
  });

  it('maps an error body to ApiError and reports a 401', async () => {
    const { api, onUnauthorized } = http(async () => json(401, { error: { code: 'unauthorized', message: 'Unknown API key' } }));
    const error = await api.cancel('j').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ApiError', status: 401, code: 'unauthorized', message: 'Unknown API key' });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });

  it('does not report other failures as a refused key', async () => {
    const { api, onUnauthorized } = http(async () => json(409, { error: { code: 'invalid_state', message: 'Already done' } }));
    await expect(api.retry('j')).rejects.toMatchObject({ code: 'invalid_state', message: 'Already done' });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('turns a failed fetch into network_error', async () => {
    const { api } = http(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(api.verifyKey()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('refuses an answer that does not match the contract', async () => {
    const { api } = http(async () => json(200, { id: 'only-an-id' }));
    await expect(api.cancel('j')).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('downloads errors.csv with the key and the server’s file name', async () => {
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(
      new Response('row,column\n', { status: 200, headers: { 'content-disposition': 'attachment; filename="import-j-errors.csv"' } }),
    );
    const { api } = http(fetchImpl);
    const { blob, filename } = await api.downloadErrorsCsv('j');
    expect(filename).toBe('import-j-errors.csv');
    expect(await blob.text()).toBe('row,column\n');
    expect(new Headers(fetchImpl.mock.calls[0]?.[1]?.headers).get('x-api-key')).toBe('secret');
  });
});

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
