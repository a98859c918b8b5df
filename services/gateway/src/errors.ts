import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '@docprocessor/contracts';
import { pathOf } from './logging.js';

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  502: 'service_unavailable',
  503: 'service_unavailable',
  504: 'service_unavailable',
};

/** Any thrown thing as the one error type: client mistakes keep their status, everything else is a 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const { statusCode, message } = (error ?? {}) as { statusCode?: number; message?: string };
  const code = statusCode !== undefined ? BY_STATUS[statusCode] : undefined;
  if (code) return new AppError(code, message || code, { cause: error });
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500)
    return new AppError('invalid_request', message || 'The request was not understood', { cause: error });
  return new AppError('internal_error', 'Something went wrong on our side; it has been logged', { cause: error });
}

export const upstreamUnavailable = (cause: unknown): AppError =>
  new AppError('service_unavailable', 'The import service is not reachable right now; try again shortly', { cause });

/** The only place where the gateway's own errors become HTTP answers (`{"error":{"code","message"}}`). */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    const path = pathOf(request);
    if (appError.code === 'service_unavailable')
      request.log.warn(
        { code: appError.code, path, cause: String((appError.cause as Error | undefined)?.message ?? '') },
        'dependency unavailable',
      );
    else if (appError.status >= 500) request.log.error({ err: error, code: appError.code, path }, 'request failed');
    else request.log.info({ code: appError.code, path, reason: appError.message }, 'request refused');
    return reply.code(appError.status).headers(appError.headers).send(appError.toBody());
  });
}

/** Errors found while routing (a malformed URL), before any handler: same shape, status of the error. */
export function frameworkErrors(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const appError = toAppError(error);
  request.log.info({ code: appError.code, reason: appError.message }, 'request refused while routing');
  void reply.code(appError.status).send(appError.toBody());
}

/** An HTTP message Node could not even parse: answered on the raw socket, still in the contract's shape. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'invalid_request', 'The request took too long to arrive']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'invalid_request', 'The request headers are too large']
        : [400, 'invalid_request', 'The request is not valid HTTP'];
  const body = JSON.stringify({ error: { code, message } });
  if (socket.writable)
    socket.write(
      [
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Content-Type: application/json',
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  socket.destroy(error);
}
