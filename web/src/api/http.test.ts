import { describe, expect, it, vi } from 'vitest';
import { BUILT_IN_TEMPLATES } from '@docprocessor/contracts';
import { exactPreview } from '../testing/previews';
import { makeJob } from '../testing/factories';
import { ApiError, toApiError } from './errors';
import { createHttp } from './http';
import { PREVIEW_HEAD_BYTES } from './upload-form';

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
    await expect(api.me()).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('refuses an answer that does not match the contract', async () => {
    const { api } = http(async () => json(200, { id: 'only-an-id' }));
    await expect(api.cancel('j')).rejects.toMatchObject({ code: 'invalid_response' });
  });

  it('downloads errors.csv with the key and the server’s file name', async () => {
    const fetchImpl = vi
      .fn<typeof fetch>()
      .mockResolvedValue(
        new Response('row,column\n', { status: 200, headers: { 'content-disposition': 'attachment; filename="import-j-errors.csv"' } }),
      );
    const { api } = http(fetchImpl);
    const { blob, filename } = await api.downloadErrorsCsv('j');
    expect(filename).toBe('import-j-errors.csv');
    expect(await blob.text()).toBe('row,column\n');
    expect(new Headers(fetchImpl.mock.calls[0]?.[1]?.headers).get('x-api-key')).toBe('secret');
  });
});

describe('health', () => {
  const degraded = { status: 'degraded', checks: { database: { ok: true }, nats: { ok: false, error: 'down' } }, maxUploadBytes: 1024 };

  it('reads the upload limit without a key, also from a degraded (503) answer', async () => {
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(json(503, degraded));
    const { api } = http(fetchImpl);
    await expect(api.health()).resolves.toEqual(degraded);
    expect(fetchImpl.mock.calls[0]?.[0]).toBe('/api/health');
    expect(new Headers(fetchImpl.mock.calls[0]?.[1]?.headers).get('x-api-key')).toBeNull();
  });

  it('rejects an answer without the contract’s body', async () => {
    const { api } = http(async () => new Response('Bad Gateway', { status: 502 }));
    await expect(api.health()).rejects.toMatchObject({ status: 502, code: 'http_error' });
  });
});

describe('templates, previews and commits', () => {
  const contacts = BUILT_IN_TEMPLATES[0]!;

  it('reads, creates, changes and deletes templates as the contract says', async () => {
    const fetchImpl = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(json(200, BUILT_IN_TEMPLATES))
      .mockResolvedValueOnce(json(200, contacts))
      .mockResolvedValueOnce(json(201, contacts))
      .mockResolvedValueOnce(json(200, contacts))
      .mockResolvedValueOnce(new Response(null, { status: 204 }));
    const { api } = http(fetchImpl);
    await expect(api.listTemplates()).resolves.toEqual(BUILT_IN_TEMPLATES);
    await api.getTemplate('my template');
    const input = { name: 'contacts', key: ['id'], columns: contacts.columns };
    await api.createTemplate(input);
    await api.updateTemplate('contacts', { key: ['id'], columns: contacts.columns });
    await expect(api.deleteTemplate('contacts')).resolves.toBeUndefined();
    const calls = fetchImpl.mock.calls.map(([url, init]) => [init?.method ?? 'GET', url]);
    expect(calls).toEqual([
      ['GET', '/api/templates'],
      ['GET', '/api/templates/my%20template'],
      ['POST', '/api/templates'],
      ['PUT', '/api/templates/contacts'],
      ['DELETE', '/api/templates/contacts'],
    ]);
    const post = fetchImpl.mock.calls[2]?.[1];
    expect(new Headers(post?.headers).get('content-type')).toBe('application/json');
    expect(new Headers(post?.headers).get('x-api-key')).toBe('secret');
    expect(JSON.parse(post?.body as string)).toEqual(input);
  });

  it('hands back a template error with its code and message', async () => {
    const body = { error: { code: 'invalid_template', message: 'columns[2].maxLength: must be at least 1' } };
    const { api } = http(async () => json(400, body));
    await expect(api.createTemplate({ name: 'x', key: ['a'], columns: [] })).rejects.toMatchObject({ status: 400, ...body.error });
  });

  it('previews with the template and sheet, and the mapping proposal in the same answer', async () => {
    const answer = exactPreview(contacts);
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(json(200, answer));
    const { api } = http(fetchImpl);
    const file = new File(['id,email\n'], 'people.csv', { type: '' });
    await expect(api.preview(file, { template: 'contacts', sheet: '2' })).resolves.toEqual(answer);
    const [url, init] = fetchImpl.mock.calls[0] ?? [];
    expect([url, init?.method]).toEqual(['/api/previews', 'POST']);
    const form = init?.body as FormData;
    expect([...form.keys()]).toEqual(['template', 'sheet', 'file']);
    expect([(form.get('file') as File).name, (form.get('file') as File).type]).toEqual(['people.csv', 'text/csv']);
  });

  it('sends only the head of a large CSV to be previewed, and a workbook whole', async () => {
    const fetchImpl = vi.fn<typeof fetch>().mockImplementation(async () => json(200, exactPreview(contacts)));
    const { api } = http(fetchImpl);
    const big = new File([new Uint8Array(PREVIEW_HEAD_BYTES + 10)], 'big.csv');
    const book = new File([new Uint8Array(PREVIEW_HEAD_BYTES + 10)], 'big.xlsx');
    await api.preview(big, {});
    await api.preview(book, {});
    const sent = fetchImpl.mock.calls.map(([, init]) => (init!.body as FormData).get('file') as File);
    expect(sent.map((f) => [f.name, f.size])).toEqual([
      ['big.csv', PREVIEW_HEAD_BYTES],
      ['big.xlsx', PREVIEW_HEAD_BYTES + 10],
    ]);
  });

  it('commits a dry run', async () => {
    const job = makeJob({ dryRunOf: 'dry/1' });
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(json(202, job));
    const { api } = http(fetchImpl);
    await expect(api.commit('dry/1')).resolves.toEqual(job);
    expect(fetchImpl.mock.calls[0]?.[0]).toBe('/api/imports/dry%2F1/commit');
    expect(fetchImpl.mock.calls[0]?.[1]?.method).toBe('POST');
  });
});

describe('revert and fixes', () => {
  it('asks for a revert plan, then reverts', async () => {
    const plan = { toDelete: 1200, toRestore: 300, conflicts: [{ jobId: 'later', rows: 2 }], expired: false };
    const job = makeJob({
      id: 'j/1',
      status: 'completed',
      revert: { requestedAt: '2025-01-01T10:00:00.000Z', toDelete: 1200, toRestore: 300, done: 0 },
    });
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValueOnce(json(200, plan)).mockResolvedValueOnce(json(202, job));
    const { api } = http(fetchImpl);
    await expect(api.revertPlan('j/1')).resolves.toEqual(plan);
    await expect(api.revert('j/1')).resolves.toEqual(job);
    expect(fetchImpl.mock.calls.map(([url, init]) => [init?.method ?? 'GET', url])).toEqual([
      ['GET', '/api/imports/j%2F1/revert'],
      ['POST', '/api/imports/j%2F1/revert'],
    ]);
  });

  it('hands back a refused revert with the server’s message', async () => {
    const body = { error: { code: 'revert_conflict', message: '2 rows were changed again by job later' } };
    const { api } = http(async () => json(409, body));
    await expect(api.revert('j')).rejects.toMatchObject({ status: 409, ...body.error });
  });

  it('uploads fixes as the multipart field file, sent as text/csv', async () => {
    const job = makeJob({ id: 'j' });
    const fetchImpl = vi.fn<typeof fetch>().mockResolvedValue(json(202, job));
    const { api } = http(fetchImpl);
    await expect(api.uploadFixes('j', new File(['id,_row\n'], 'fixed.csv', { type: 'application/vnd.ms-excel' }))).resolves.toEqual(job);
    const [url, init] = fetchImpl.mock.calls[0] ?? [];
    expect([url, init?.method]).toEqual(['/api/imports/j/fixes', 'POST']);
    const form = init?.body as FormData;
    expect([...form.keys()]).toEqual(['file']);
    expect([(form.get('file') as File).name, (form.get('file') as File).type]).toEqual(['fixed.csv', 'text/csv']);
  });
});

describe('people', () => {
  it('signs in by cookie: JSON to /api/session, no key header, and a wrong pair is not reported as a refused key', async () => {
    const fetchImpl = vi
      .fn<typeof fetch>()
      .mockResolvedValueOnce(new Response(null, { status: 204 }))
      .mockResolvedValueOnce(json(401, { error: { code: 'unauthorized', message: 'Wrong email or password' } }))
      .mockResolvedValueOnce(
        json(200, { email: 'ann@example.com', tenant: 't', role: 'importer', via: 'session', actor: 'ann@example.com' }),
      )
      .mockResolvedValueOnce(new Response(null, { status: 204 }));
    const { api, onUnauthorized } = http(fetchImpl, null);
    await api.signIn('ann@example.com', 'pw');
    const [url, init] = fetchImpl.mock.calls[0] ?? [];
    expect([url, init?.method, init?.body]).toEqual(['/api/session', 'POST', '{"email":"ann@example.com","password":"pw"}']);
    expect(new Headers(init?.headers).get('x-api-key')).toBeNull();
    await expect(api.signIn('ann@example.com', 'nope')).rejects.toMatchObject({ status: 401 });
    await expect(api.me()).resolves.toMatchObject({ role: 'importer', via: 'session' });
    await api.signOut();
    expect(fetchImpl.mock.calls[3]?.[1]?.method).toBe('DELETE');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('pages the audit log by cursor and reads one job’s entries', async () => {
    const fetchImpl = vi.fn<typeof fetch>().mockImplementation(async () => json(200, { items: [], nextCursor: null }));
    const { api } = http(fetchImpl);
    await api.listAudit('c 2', 50);
    await api.jobAudit('job/1');
    expect(fetchImpl.mock.calls.map(([url]) => url)).toEqual(['/api/audit?limit=50&cursor=c+2', '/api/imports/job%2F1/audit']);
  });

  it('reports a 401 of the audit log like any other call', async () => {
    const { api, onUnauthorized } = http(async () => json(401, { error: { code: 'unauthorized', message: 'Session ended' } }));
    await expect(api.listAudit()).rejects.toMatchObject({ status: 401 });
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });
});
