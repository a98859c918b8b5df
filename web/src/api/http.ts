import {
  Health,
  Job,
  JobDeliveryList,
  JobList,
  MappingProposal,
  Preview,
  RevertPlan,
  RowErrorList,
  RowErrorSummary,
  Template,
  type TemplateChange,
  type TemplateInput,
} from '@docprocessor/contracts';
import { ApiError, abortedError, invalidResponse, networkError, toApiError } from './errors';
import { peopleCalls, type PeopleApi } from './people';
import { fixesForm, importForm, previewForm, type PreviewFields, type UploadFields } from './upload-form';

export { ApiError, isApiError } from './errors';

/** What `GET /api/imports` can narrow the history to (see ListImportsQuery in contracts). */
export interface JobQuery {
  status?: string | undefined;
  template?: string | undefined;
  /** Part of the file name. */
  q?: string | undefined;
  /** ISO-8601 instants: from ≤ createdAt < to. */
  from?: string | undefined;
  to?: string | undefined;
}

/** Narrows a job's row errors. */
export interface ErrorFilter {
  code?: string | undefined;
  column?: string | undefined;
}
export type { PreviewFields, UploadFields } from './upload-form';

/** A preview's answer; given a template it also proposes a mapping (`mapping`, `missing`). */
export const PreviewResult = Preview.extend(MappingProposal.partial().shape);
export type PreviewResult = Preview & Partial<MappingProposal>;

/** The one thing asked of a zod schema here (web does not depend on zod itself). */
interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: unknown };
}

export interface UploadOptions {
  idempotencyKey: string;
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
}

/** Every HTTP call the UI makes. Components and stores see only this interface, so tests pass a fake. */
export interface Api extends PeopleApi {
  listTemplates(): Promise<Template[]>;
  getTemplate(name: string): Promise<Template>;
  createTemplate(input: TemplateInput): Promise<Template>;
  updateTemplate(name: string, change: TemplateChange): Promise<Template>;
  deleteTemplate(name: string): Promise<void>;
  /** Reads the head of a file: its dialect, inferred columns, first rows and, given a template, a mapping. */
  preview(file: File, fields: PreviewFields): Promise<PreviewResult>;
  /** One job; a 404 is an ApiError with `code` not_found. */
  getJob(jobId: string): Promise<Job>;
  /** One page of the tenant's history, newest first, narrowed by `query`. */
  listJobs(query: JobQuery, cursor?: string | null, limit?: number): Promise<JobList>;
  listErrors(jobId: string, cursor?: string | null, limit?: number, filter?: ErrorFilter): Promise<RowErrorList>;
  /** The job's row errors counted by code and column, most frequent first. */
  errorSummary(jobId: string): Promise<RowErrorSummary>;
  cancel(jobId: string): Promise<Job>;
  retry(jobId: string): Promise<Job>;
  downloadErrorsCsv(jobId: string): Promise<{ blob: Blob; filename: string }>;
  upload(file: File, fields: UploadFields, options: UploadOptions): Promise<Job>;
  /** Imports a completed dry run's stored file for real: the new job. */
  commit(jobId: string): Promise<Job>;
  /** What a revert of the job would do (rows to delete and restore, conflicts, expiry), changing nothing. */
  revertPlan(jobId: string): Promise<RevertPlan>;
  /** Takes the import back: the job, whose `revert` then reports progress until it is `reverted`. */
  revert(jobId: string): Promise<Job>;
  /** Uploads a corrected errors.csv into the same job: the job with the new entry in `fixes`. */
  uploadFixes(jobId: string, file: File): Promise<Job>;
  /** What the job's events became at the tenant's webhooks: each delivery with its status and attempts. */
  listWebhookDeliveries(jobId: string): Promise<JobDeliveryList>;
  /** `GET /api/health` (no key): also when degraded (503), since it still says the server's upload limit. */
  health(): Promise<Health>;
}

export interface HttpOptions {
  /** The API key to send, if any; without one, same-origin requests ride on the session cookie. */
  getKey: () => string | null;
  /** Called on every 401 (but those of the sign-in calls), before the promise rejects. */
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

  async function send(path: string, init: RequestInit = {}, quiet = false): Promise<Response> {
    const headers = new Headers(init.headers);
    const key = options.getKey();
    if (key) headers.set('X-API-Key', key);
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { ...init, headers });
    } catch (error) {
      return reject(isAbort(error) ? abortedError() : networkError(error));
    }
    if (response.ok) return response;
    const error = toApiError(response.status, await response.text().catch(() => ''));
    if (quiet) throw error;
    return reject(error);
  }

  async function json<T>(schema: Schema<T>, path: string, init?: RequestInit, quiet = false): Promise<T> {
    const response = await send(path, init, quiet);
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw invalidResponse(parsed.error);
    return parsed.data;
  }

  const jobPath = (id: string, rest = ''): string => `/api/imports/${encodeURIComponent(id)}${rest}`;
  const templatePath = (name: string): string => `/api/templates/${encodeURIComponent(name)}`;
  const sendJson = (method: string, body: unknown): RequestInit => ({
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

  return {
    ...peopleCalls({ send, json }),
    listTemplates: () => json<Template[]>(Template.array(), '/api/templates'),
    getTemplate: (name) => json<Template>(Template, templatePath(name)),
    createTemplate: (input) => json<Template>(Template, '/api/templates', sendJson('POST', input)),
    updateTemplate: (name, change) => json<Template>(Template, templatePath(name), sendJson('PUT', change)),
    deleteTemplate: async (name) => {
      await send(templatePath(name), { method: 'DELETE' });
    },
    preview: (file, fields) => json<PreviewResult>(PreviewResult, '/api/previews', { method: 'POST', body: previewForm(file, fields) }),
    commit: (jobId) => json<Job>(Job, jobPath(jobId, '/commit'), { method: 'POST' }),
    revertPlan: (jobId) => json<RevertPlan>(RevertPlan, jobPath(jobId, '/revert')),
    revert: (jobId) => json<Job>(Job, jobPath(jobId, '/revert'), { method: 'POST' }),
    uploadFixes: (jobId, file) => json<Job>(Job, jobPath(jobId, '/fixes'), { method: 'POST', body: fixesForm(file) }),
    getJob: (jobId) => json<Job>(Job, jobPath(jobId)),
    listJobs: (jobQuery, cursor, limit = 50) => {
      const query = searchOf({ ...jobQuery, limit: String(limit), cursor: cursor ?? undefined });
      return json<JobList>(JobList, `/api/imports?${query}`);
    },
    listErrors: (jobId, cursor, limit = 50, filter = {}) => {
      const query = searchOf({ limit: String(limit), cursor: cursor ?? undefined, ...filter });
      return json<RowErrorList>(RowErrorList, jobPath(jobId, `/errors?${query}`));
    },
    errorSummary: (jobId) => json<RowErrorSummary>(RowErrorSummary, jobPath(jobId, '/errors/summary')),
    listWebhookDeliveries: (jobId) => json<JobDeliveryList>(JobDeliveryList, jobPath(jobId, '/webhook-deliveries')),
    cancel: (jobId) => json<Job>(Job, jobPath(jobId, '/cancel'), { method: 'POST' }),
    retry: (jobId) => json<Job>(Job, jobPath(jobId, '/retry'), { method: 'POST' }),
    downloadErrorsCsv: async (jobId) => {
      const response = await send(jobPath(jobId, '/errors.csv'));
      const filename = filenameOf(response.headers.get('content-disposition')) ?? `import-${jobId}-errors.csv`;
      return { blob: await response.blob(), filename };
    },
    health: async () => {
      const response = await doFetch(`${base}/api/health`).catch((error: unknown) => Promise.reject(networkError(error)));
      const parsed = Health.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success) throw response.ok ? invalidResponse(parsed.error) : toApiError(response.status, '');
      return parsed.data;
    },
    upload: (file, fields, uploadOptions) =>
      xhrUpload({
        url: `${base}/api/imports`,
        key: options.getKey(),
        file,
        fields,
        options: uploadOptions,
        XHR: options.XMLHttpRequest,
      }).then(
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
        new ApiError(
          0,
          'network_error',
          'The upload stopped before the server answered. Check the connection; a very large file may also be over the server’s limit.',
        ),
      );
    xhr.onabort = () => reject(abortedError());
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(importForm(file, fields));
  });
}

/** Query parameters without the empty ones. */
function searchOf(params: Record<string, string | undefined>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  return query;
}

function filenameOf(disposition: string | null): string | null {
  const match = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

const isAbort = (error: unknown): boolean => error instanceof DOMException && error.name === 'AbortError';
