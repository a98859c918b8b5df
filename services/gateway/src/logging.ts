import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** The request path without its query: `/ws?apiKey=...` carries a secret and must never reach a log line. */
export const pathOf = (request: { url: string }): string => request.url.split('?', 1)[0] ?? '/';

/**
 * Fastify's own request lines print `req.url` with the query; these print the method, the path and the outcome,
 * one line per request. Errors are logged by our error handler.
 */
export class PathOnlyLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { method: request.method, path: pathOf(request), status: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error) reply.log.warn({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    reply.log.error({ err: error, path: pathOf(request) }, 'request failed');
  }

  override routeNotFound(): void {}

  override writeHeadError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    reply.log.warn({ err: error, path: pathOf(request) }, 'could not write the response head');
  }
}
