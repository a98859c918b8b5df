import { ErrorBody } from '@docprocessor/contracts';

/** Codes the client makes up itself; every other code comes from the server's `{error: {code, message}}`. */
export type ClientErrorCode = 'network_error' | 'aborted' | 'invalid_response' | 'http_error';

/** Any failed call to the API: `status` is 0 when no HTTP answer arrived. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
    this.code = code;
  }

  get unauthorized(): boolean {
    return this.status === 401;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

// Used when a proxy or a crash answers without the contract's JSON body.
const FALLBACK: Record<number, [string, string]> = {
  400: ['invalid_request', 'The server could not accept this request.'],
  401: ['unauthorized', 'The API key was not accepted.'],
  403: ['forbidden', 'This API key may not do that.'],
  404: ['not_found', 'Not found.'],
  409: ['invalid_state', 'That is not possible in the current state of the import.'],
  413: ['payload_too_large', 'The file is larger than the server accepts.'],
  415: ['unsupported_media_type', 'The server accepts only CSV files.'],
  429: ['rate_limited', 'Too many requests; wait a moment and try again.'],
};

/** Maps an HTTP answer that is not 2xx to an ApiError, preferring the contract's error body. */
export function toApiError(status: number, bodyText: string): ApiError {
  const parsed = ErrorBody.safeParse(safeJson(bodyText));
  if (parsed.success) return new ApiError(status, parsed.data.error.code, parsed.data.error.message);
  const fallback = FALLBACK[status];
  if (fallback) return new ApiError(status, fallback[0], fallback[1]);
  if (status >= 500) return new ApiError(status, 'http_error', `The server could not answer (HTTP ${status}). Try again shortly.`);
  return new ApiError(status, 'http_error', `Unexpected answer from the server (HTTP ${status}).`);
}

export const networkError = (cause?: unknown): ApiError =>
  new ApiError(0, 'network_error', 'Cannot reach the server. Check the connection and try again.', { cause });

export const abortedError = (): ApiError => new ApiError(0, 'aborted', 'The request was cancelled.');

export const invalidResponse = (cause?: unknown): ApiError =>
  new ApiError(0, 'invalid_response', 'The server sent an answer this page does not understand.', { cause });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
