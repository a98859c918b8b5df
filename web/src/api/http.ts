import { Job, RowErrorList, Template, type OnDuplicate } from '@docprocessor/contracts';
import { ApiError, abortedError, invalidResponse, networkError, toApiError } from './errors';

export { ApiError, isApiError } from './errors';

/** What the UI needs of a template; extra fields the server sends are ignored. */
export const TemplateSummary = Template.pick({ name: true, key: true, columns: true });
export type TemplateSummary = Pick<Template, 'name' | 'key' | 'columns'>;

/** The one thing asked of a zod schema here (web does not depend on zod itself). */
interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown };
}

export interface UploadFields {
  template: string;
  onDuplicate: OnDuplicate;
}

export interface UploadOptions {
  idempotencyKey: string;
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

/** Every HTTP call the UI makes. Components and stores see only this interface, so tests pass a fake. */
export interface Api {
  listTemplates(): Promise<TemplateSummary[]>;
  listErrors(jobId: string, cursor?: string | null, limit?: number): Promise<RowErrorList>;
  cancel(jobId: string): Promise<Job>;
  retry(jobId: string): Promise<Job>;
  downloadErrorsCsv(jobId: string): Promise<{ blob: Blob; filename: string }>;
  upload(file: File, fields: UploadFields, options: UploadOptions): Promise<Job>;
  /** Cheapest authenticated call: resolves if the key is accepted, rejects with an ApiError otherwise. */
  verifyKey(): Promise<void>;
}

export interface HttpOptions {
  getKey: () => string | null;
  /** Called on every 401, before the promise rejects. */
  onUnauthorized?: (error: ApiError) => void;
  baseUrl?: string;
  fetch?: typeof fetch;
  XMLHttpRequest?: typeof XMLHttpRequest;
}

export function createHttp(options: HttpOptions): Api {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const reject = (error: ApiError): never => {
    if (error.unauthorized) options.onUnauthorized?.(error);
    throw error;
  };

  async function send(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const key = options.getKey();
    if (key) headers.set('X-API-Key', key);
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { ...init, headers });
    } catch (error) {
      return reject(isAbort(error) ? abortedError() : networkError(error));
    }
    if (!response.ok) return reject(toApiError(response.status, await response.text().catch(() => '')));
    return response;
  }

  async function json<T>(schema: Schema<T>, path: string, init?: RequestInit): Promise<T> {
    const response = await send(path, init);
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw invalidResponse(parsed.error);
    return parsed.data;
  }

  const jobPath = (id: string, rest = ''): string => `/api/imports/${encodeURIComponent(id)}${rest}`;

  return {
    listTemplates: () => json<TemplateSummary[]>(TemplateSummary.array(), '/api/templates'),
    listErrors: (jobId, cursor, limit = 50) => {
      const query = new URLSearchParams({ limit: String(limit) });
      if (cursor) query.set('cursor', cursor);
      return json<RowErrorList>(RowErrorList, jobPath(jobId, `/errors?${query}`));
    },
    cancel: (jobId) => json<Job>(Job, jobPath(jobId, '/cancel'), { method: 'POST' }),
    retry: (jobId) => json<Job>(Job, jobPath(jobId, '/retry'), { method: 'POST' }),
    downloadErrorsCsv: async (jobId) => {
      const response = await send(jobPath(jobId, '/errors.csv'));
      const filename = filenameOf(response.headers.get('content-disposition')) ?? `import-${jobId}-errors.csv`;
      return { blob: await response.blob(), filename };
    },
    verifyKey: async () => {
      await send('/api/imports?limit=1');
    },
    upload: (file, fields, uploadOptions) =>
      xhrUpload({ url: `${base}/api/imports`, key: options.getKey(), file, fields, options: uploadOptions, XHR: options.XMLHttpRequest }).then(
        (body) => {
          const parsed = Job.safeParse(body);
          if (!parsed.success) throw invalidResponse(parsed.error);
          return parsed.data;
        },
        (error: unknown) => reject(error instanceof ApiError ? error : networkError(error)),
      ),
  };
}

interface XhrUploadInput {
  url: string;
  key: string | null;
  file: File;
  fields: UploadFields;
  options: UploadOptions;
  XHR: typeof XMLHttpRequest | undefined;
}

/** fetch cannot report upload progress, so uploads go through XMLHttpRequest. Resolves with the parsed JSON body. */
function xhrUpload({ url, key, file, fields, options, XHR }: XhrUploadInput): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const xhr = new (XHR ?? XMLHttpRequest)();
    xhr.open('POST', url);
    if (key) xhr.setRequestHeader('X-API-Key', key);
    xhr.setRequestHeader('Idempotency-Key', options.idempotencyKey);
    xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) return reject(toApiError(xhr.status, xhr.responseText));
      try {
        resolve(JSON.parse(xhr.responseText));
      } catch (error) {
        reject(invalidResponse(error));
      }
    };
    xhr.onerror = () =>
      reject(
        new ApiError(0, 'network_error', 'The upload stopped before the server answered. Check the connection; a very large file may also be over the server’s limit.'),
      );
    xhr.onabort = () => reject(abortedError());
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });

    // Fields first, so a streaming server knows the template before the file arrives.
    const form = new FormData();
    form.append('template', fields.template);
    form.append('onDuplicate', fields.onDuplicate);
    form.append('file', asCsv(file), file.name);
    xhr.send(form);
  });
}

// Windows labels .csv files application/vnd.ms-excel and some browsers send none; say what it is.
function asCsv(file: File): Blob {
  if (file.type === 'text/csv' || !/\.csv$/i.test(file.name)) return file;
  return new File([file], file.name, { type: 'text/csv' });
}

function filenameOf(disposition: string | null): string | null {
  const match = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';
