import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ZodError } from 'zod';
import { AppError, dependencyErrorCode, type ErrorCode } from '@docprocessor/contracts';

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'invalid_request',
  404: 'not_found',
  406: 'unsupported_media_type',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

const UNAVAILABLE = {
  database_unavailable: 'The database is not reachable; try again shortly',
  nats_unavailable: 'The message bus is not reachable; try again shortly',
} as const;

/** Any thrown thing as the one error type; this is the only place errors become HTTP answers. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    return new AppError('invalid_request', `${issue?.path.join('.') || 'request'}: ${issue?.message}`, { cause: error });
  }
  const { statusCode, message } = error as { statusCode?: number; message?: string };
  const mapped = statusCode !== undefined ? BY_STATUS[statusCode] : undefined;
  if (mapped) return new AppError(mapped, message ?? mapped, { cause: error });
  const dependency = dependencyErrorCode(error);
  if (dependency) return new AppError(dependency, UNAVAILABLE[dependency], { cause: error });
  return new AppError('internal_error', 'Something went wrong on our side; it has been logged', { cause: error });
}

/** Fastify's router refuses badly escaped or over-long path segments before any hook runs: the same error shape. */
export function answerRouterError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const what = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path segment is too long' : 'a path segment is badly escaped';
  void reply.code(400).send(new AppError('invalid_request', `The URL is not valid: ${what}`).toBody());
}

export const errorsPlugin = fp(
  async (app) => {
    app.setErrorHandler((error, request, reply) => {
      // The request's logger carries the jobId of a request about a job (childLoggerFactory in app.ts).
      if (request.raw.destroyed && !request.raw.complete) {
        // The client went away mid-request (a dropped upload): nobody to answer, and not an outage of ours.
        request.log.info({ reason: (error as Error).message }, 'the client closed the request before it was complete');
        return reply.code(400).send(new AppError('invalid_request', 'The request ended before it was complete').toBody());
      }
      const appError = toAppError(error);
      if (appError.status >= 500) request.log.error({ err: error, code: appError.code }, 'request failed');
      else request.log.info({ code: appError.code, reason: appError.message }, 'request refused');
      // A request refused before its body was read (no key, too large, not a CSV) would leave the unread bytes in a
      // kept-alive connection, and whoever is handed that connection next (the gateway pools them) would hang.
      if (!request.raw.complete) {
        request.raw.unpipe();
        request.raw.resume();
      }
      return reply.code(appError.status).headers(appError.headers).send(appError.toBody());
    });
    app.setNotFoundHandler((request, reply) =>
      reply.code(404).send(new AppError('not_found', `No route ${request.method} ${request.url.split('?', 1)[0]}`).toBody()),
    );
  },
  { name: 'errors' },
);
