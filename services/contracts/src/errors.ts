import type { JobErrorKind } from './job.js';

/**
 * Every refusal and failure the product can give, with its HTTP status, kind and when it happens
 * (`npm run docs` writes docs/errors.md from this). Codes are part of the public contract: add new ones, never rename.
 */
export const ERROR_CATALOG = {
  unauthorized: {
    status: 401,
    kind: 'auth',
    when:
      'no valid session or API key (HTTP and the `/ws` upgrade); ' +
      'a wrong email or password at sign-in, whether the account exists or not',
  },
  forbidden: {
    status: 403,
    kind: 'auth',
    when:
      'the session or key lacks the role the route needs, or a request signed in by cookie that changes something ' +
      'comes without the `Origin` of the one origin (CSRF)',
  },
  not_found: { status: 404, kind: 'not_found', when: "an unknown job or route (or another tenant's job)" },
  invalid_request: { status: 400, kind: 'validation', when: 'a bad field, query value, cursor or multipart body' },
  missing_file: { status: 400, kind: 'validation', when: 'the upload has no `file` field' },
  empty_file: { status: 400, kind: 'validation', when: 'the uploaded file has 0 bytes' },
  unknown_template: { status: 400, kind: 'validation', when: 'a template that does not exist' },
  unsupported_media_type: {
    status: 415,
    kind: 'validation',
    when:
      'not multipart, or binary content (NUL bytes, PDF, images, ZIP archives other than an .xlsx workbook, .xls, .xlsb, ' +
      'executables, non-gzip archives, corrupt gzip)',
  },
  payload_too_large: {
    status: 413,
    kind: 'limit',
    when: 'over `MAX_UPLOAD_BYTES` as sent or as unpacked; the partial object is deleted',
  },
  invalid_state: { status: 409, kind: 'conflict', when: 'cancel of a finished job, retry of one that is not failed or cancelled' },
  invalid_template: {
    status: 400,
    kind: 'validation',
    when: 'a template definition that breaks a rule; the message starts with the field, e.g. `columns[2].maxLength: …`',
  },
  template_exists: {
    status: 409,
    kind: 'conflict',
    when: 'a template (or, for a new managed template, a table) of that name exists already',
  },
  incompatible_change: {
    status: 409,
    kind: 'conflict',
    when: 'a template change that could orphan or refuse data already in its table (the message lists every reason)',
  },
  template_in_use: { status: 409, kind: 'conflict', when: 'deleting a template that a pending or processing job uses' },
  revert_conflict: {
    status: 409,
    kind: 'conflict',
    when: 'a revert of an import whose rows a later import changed again: nothing changes; the message says how many rows and which jobs',
  },
  revert_expired: {
    status: 409,
    kind: 'conflict',
    when: 'a revert of an import whose earlier row values are no longer kept (`BEFORE_IMAGE_RETENTION_DAYS`)',
  },
  invalid_fix: {
    status: 400,
    kind: 'validation',
    when:
      "a fix file (POST /api/imports/:id/fixes) without `_row`, with another header than the import's file, " +
      'or naming a row the job did not fail',
  },
  built_in_template: { status: 409, kind: 'conflict', when: 'changing or deleting a built-in template (`contacts`, `products`)' },
  idempotency_conflict: {
    status: 409,
    kind: 'conflict',
    when: 'a request with the same `Idempotency-Key` is still being processed; try again',
  },
  rate_limited: {
    status: 429,
    kind: 'limit',
    when:
      'over `UPLOAD_RATE_LIMIT_PER_MINUTE` for the key (with `Retry-After`); ' +
      'a repeated `Idempotency-Key` is answered with its job instead, and does not count; ' +
      'too many failed sign-ins for one email or from one address (`SIGN_IN_MAX_FAILURES`)',
  },
  // Job failures (job.error.code); the status applies only if one ever reaches HTTP.
  missing_columns: {
    status: 422,
    kind: 'validation',
    when: 'job failed (validation): a required column is not in the header; nothing written',
  },
  invalid_header: { status: 422, kind: 'validation', when: 'job failed (validation): no header line, or a template column named twice' },
  malformed_csv: {
    status: 422,
    kind: 'validation',
    when: 'job failed (validation) at `error.row`: the CSV cannot be read there; rows of earlier batches stay written',
  },
  unterminated_quote: {
    status: 422,
    kind: 'validation',
    when: 'job failed (validation) at `error.row`: a quoted field is never closed; rows of earlier batches stay written',
  },
  field_too_large: {
    status: 422,
    kind: 'validation',
    when: 'job failed (validation) at `error.row`: a row is larger than `MAX_ROW_BYTES`; rows of earlier batches stay written',
  },
  malformed_xlsx: {
    status: 422,
    kind: 'validation',
    when: 'job failed (validation): the .xlsx workbook cannot be read (a broken ZIP or XML part); rows of earlier batches stay written',
  },
  unknown_sheet: {
    status: 400,
    kind: 'validation',
    when:
      'the `sheet` field names no sheet of the workbook (by name or 1-based number): a refusal, or a job failed (validation); ' +
      'the message lists the sheets there are',
  },
  too_many_errors: {
    status: 422,
    kind: 'validation',
    when: 'job failed (validation): more rows failed than `maxErrors`, or a larger share than `maxErrorRate`; the message has both counts',
  },
  target_missing: {
    status: 422,
    kind: 'validation',
    when: "job failed (validation): the template's table, or one of its columns, is no longer in the database",
  },
  too_many_columns: { status: 422, kind: 'validation', when: 'job failed (validation): more than `MAX_COLUMNS` header columns' },
  invalid_encoding: {
    status: 422,
    kind: 'validation',
    when: "bytes invalid in the file's encoding; reported today as a row error of that code, not as a job failure",
  },
  file_missing: { status: 500, kind: 'system', when: 'job failed (system): the uploaded file is no longer stored' },
  processing_crashed: {
    status: 500,
    kind: 'system',
    when: 'job failed (system): its deliveries (`MAX_DELIVER`) ran out, the last ending in an error',
  },
  job_stalled: {
    status: 500,
    kind: 'system',
    when: 'job failed (system): the watchdog found it stalled `WATCHDOG_MAX_STALLS` times',
  },
  database_unavailable: {
    status: 503,
    kind: 'infrastructure',
    when: 'PostgreSQL is not reachable: a refusal, or a job failed (infrastructure) once its deliveries ran out',
  },
  nats_unavailable: {
    status: 503,
    kind: 'infrastructure',
    when: 'NATS is not reachable: a refusal, or a job failed (infrastructure) once its deliveries ran out',
  },
  service_unavailable: {
    status: 503,
    kind: 'infrastructure',
    when:
      'ingest does not answer the gateway, or a WebSocket snapshot or key check cannot be made right now; an upload, retry or ' +
      'commit while the work queue or the file store is past its limit (`MAX_QUEUED_JOBS`, `MAX_STORED_BYTES`), with `Retry-After`',
  },
  internal_error: { status: 500, kind: 'system', when: 'a fault on our side (logged); also a job whose template no longer exists' },
  /** Every delivery of the job ended with its worker gone (killed, crashed, out of memory) before it reported anything. */
  worker_crashed: {
    status: 500,
    kind: 'system',
    when: 'job failed (system): every delivery ended with its worker gone (killed, crashed, out of memory)',
  },
} as const satisfies Record<string, { status: number; kind: ErrorKind; when: string }>;

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
