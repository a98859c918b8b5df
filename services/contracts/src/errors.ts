import type { JobErrorKind } from './job.js';

/**
 * Every refusal and failure the product can give, with its HTTP status and kind.
 * Codes are part of the public contract: add new ones, never rename.
 */
export const ERROR_CATALOG = {
  unauthorized: { status: 401, kind: 'auth' },
  not_found: { status: 404, kind: 'not_found' },
  invalid_request: { status: 400, kind: 'validation' },
  missing_file: { status: 400, kind: 'validation' },
  empty_file: { status: 400, kind: 'validation' },
  unknown_template: { status: 400, kind: 'validation' },
  unsupported_media_type: { status: 415, kind: 'validation' },
  payload_too_large: { status: 413, kind: 'limit' },
  invalid_state: { status: 409, kind: 'conflict' },
  idempotency_conflict: { status: 409, kind: 'conflict' },
  rate_limited: { status: 429, kind: 'limit' },
  // Job failures (job.error.code); the status applies only if one ever reaches HTTP.
  missing_columns: { status: 422, kind: 'validation' },
  invalid_header: { status: 422, kind: 'validation' },
  malformed_csv: { status: 422, kind: 'validation' },
  unterminated_quote: { status: 422, kind: 'validation' },
  field_too_large: { status: 422, kind: 'validation' },
  too_many_columns: { status: 422, kind: 'validation' },
  invalid_encoding: { status: 422, kind: 'validation' },
  file_missing: { status: 500, kind: 'system' },
  processing_crashed: { status: 500, kind: 'system' },
  job_stalled: { status: 500, kind: 'system' },
  database_unavailable: { status: 503, kind: 'infrastructure' },
  nats_unavailable: { status: 503, kind: 'infrastructure' },
  service_unavailable: { status: 503, kind: 'infrastructure' },
  internal_error: { status: 500, kind: 'system' },
  /** Every delivery of the job ended with its worker gone (killed, crashed, out of memory) before it reported anything. */
  worker_crashed: { status: 500, kind: 'system' },
} as const satisfies Record<string, { status: number; kind: ErrorKind }>;

export type ErrorKind = JobErrorKind | 'auth' | 'not_found' | 'conflict' | 'limit';
export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface AppErrorOptions extends ErrorOptions {
  /** Data row (1-based) where a file broke, for job failures. */
  row?: number;
  /** Extra response headers, e.g. Retry-After. */
  headers?: Record<string, string>;
}

/** The one error type: a stable code, a kind and an HTTP status, mapped to a response once at the edge. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly kind: ErrorKind;
  readonly status: number;
  readonly row: number | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options);
    this.code = code;
    this.kind = ERROR_CATALOG[code].kind;
    this.status = ERROR_CATALOG[code].status;
    this.row = options.row;
    this.headers = options.headers ?? {};
  }

  toBody(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;
