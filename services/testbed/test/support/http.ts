import type { Job } from '@docprocessor/contracts';
import type { Origin } from '../../src/stack.js';
import { eventually } from './wait.js';

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer is JSON, else the text. */
  body: T;
  text: string;
}

export interface CallOptions {
  method?: string;
  /** false: send no API key; a string: send that key instead of the stack's. */
  key?: string | false;
  headers?: Record<string, string>;
  body?: RequestInit['body'];
  /** Give up after this long and answer status 0 (for requests a bug may leave hanging). */
  timeoutMs?: number;
}

/** One HTTP call through the stack's one origin (the gateway, or another Origin), with its API key unless told otherwise. */
export async function call<T = unknown>(stack: Origin, path: string, options: CallOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? stack.apiKey : options.key;
  if (key !== false) headers['x-api-key'] = key;
  const signal = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : null;
  let response: Response;
  try {
    response = await fetch(`${stack.url}${path}`, { method: options.method ?? 'GET', headers, body: options.body ?? null, signal });
  } catch (error) {
    if (!signal?.aborted) throw error;
    const text = `no answer within ${options.timeoutMs} ms`;
    return { status: 0, headers: new Headers(), body: text as T, text };
  }
  const text = await response.text();
  let body: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, headers: response.headers, body: body as T, text };
}

export interface UploadOptions {
  filename?: string;
  /** Content type given to the file part (what a browser would say). */
  type?: string;
  /** Extra form fields (template, onDuplicate, encoding, delimiter); sent before the file. */
  fields?: Record<string, string>;
  idempotencyKey?: string;
  key?: string | false;
  timeoutMs?: number;
}

/** POST /api/imports as multipart with the field `file`. */
export async function uploadBytes<T = Job>(stack: Origin, content: string | Uint8Array, options: UploadOptions = {}): Promise<Answer<T>> {
  const form = new FormData();
  for (const [name, value] of Object.entries(options.fields ?? {})) form.append(name, value);
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  form.append('file', new Blob([bytes], { type: options.type ?? 'text/csv' }), options.filename ?? 'upload.csv');
  const headers: Record<string, string> = {};
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  return call<T>(stack, '/api/imports', { method: 'POST', body: form, headers, key: options.key, timeoutMs: options.timeoutMs });
}

/** Uploads and insists on 202 with a job. */
export async function uploadJob(stack: Origin, content: string | Uint8Array, options: UploadOptions = {}): Promise<Job> {
  const answer = await uploadBytes(stack, content, options);
  if (answer.status !== 202) throw new Error(`upload refused: ${answer.status} ${answer.text}`);
  return answer.body;
}

export const TERMINAL = ['completed', 'failed', 'cancelled'];

/** Polls GET /api/imports/:id until the job is terminal (tests assert on events separately). */
export async function finalJob(stack: Origin, id: string, timeoutMs = 60_000): Promise<Job> {
  return eventually(
    async () => {
      const answer = await call<Job>(stack, `/api/imports/${id}`);
      return answer.status === 200 && TERMINAL.includes(answer.body.status) ? answer.body : undefined;
    },
    `job ${id} to finish`,
    timeoutMs,
    100,
  );
}

/** Asserts the contract's error shape and returns the code. */
export function errorCodeOf(answer: Answer): string | undefined {
  const body = answer.body as { error?: { code?: unknown; message?: unknown } } | string;
  if (typeof body !== 'object' || !body?.error) return undefined;
  const { code, message } = body.error;
  return typeof code === 'string' && /^[a-z][a-z0-9_]*$/.test(code) && typeof message === 'string' && message.length > 0 ? code : undefined;
}

/**
 * GET on a connection of its own (no keep-alive pool on the client side), with a deadline: what a second,
 * unrelated user's request looks like. Answers the status, or 0 when nothing came back in time.
 */
export async function getOnNewConnection(url: string, headers: Record<string, string>, timeoutMs = 10_000): Promise<number> {
  const { request } = await import('node:http');
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve(0);
    });
    req.on('error', () => resolve(0));
    req.end();
  });
}
