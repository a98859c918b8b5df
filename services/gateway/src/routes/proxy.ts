import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import httpProxy from '@fastify/http-proxy';
import { upstreamUnavailable } from '../errors.js';

/** What the gateway forwards to ingest; the rest of the origin is its own. */
export const PROXIED_PREFIXES = ['/api', '/metrics'] as const;

function forwardedHeaders(request: FastifyRequest, headers: IncomingHttpHeaders): IncomingHttpHeaders {
  // Node already answered `Expect: 100-continue` to the client; undici refuses to send the header upstream.
  const { expect: _answered, ...rest } = headers;
  const previous = rest['x-forwarded-for'];
  return {
    ...rest,
    'x-forwarded-for': previous ? `${String(previous)}, ${request.ip}` : request.ip,
    'x-forwarded-proto': request.protocol,
    ...(request.headers.host ? { 'x-forwarded-host': request.headers.host } : {}),
  };
}

/**
 * undici destroys the body stream it was given when ingest answers before reading all of it (a refused upload);
 * were that the client's own request, the client would see a dropped connection instead of the answer. So it gets
 * a pipe, and the rest of the client's bytes are drained once ingest has answered.
 */
async function detachBody(request: FastifyRequest): Promise<void> {
  if (request.body !== request.raw) return;
  const body = new PassThrough();
  // A pipe does not pass on an abort: without this, a client that goes away mid-upload would leave ingest waiting.
  request.raw.once('close', () => {
    if (!request.raw.complete) body.destroy(new Error('the client closed the request before it was complete'));
  });
  request.body = request.raw.pipe(body);
}

function relayAnswer(request: FastifyRequest, reply: FastifyReply, answer: { stream: NodeJS.ReadableStream }): void {
  if (!request.raw.complete) {
    request.raw.unpipe();
    request.raw.resume();
    // The client's connection is the gateway's own: an upstream `Connection: close` copied to it would make Node
    // close the client's socket while it is still sending, which the client sees as EPIPE instead of the answer.
    reply.removeHeader('connection');
  }
  void reply.send(answer.stream);
}

/**
 * /api/* and /metrics go to ingest as they are: bodies are piped, never parsed or buffered (a 1 GB upload streams
 * through), and every request header (X-API-Key, Idempotency-Key, Content-Type) is kept.
 * Ingest being down is a 503 service_unavailable, not a 500.
 */
export async function proxyRoutes(app: FastifyInstance, { upstream }: { upstream: string }): Promise<void> {
  for (const prefix of PROXIED_PREFIXES) {
    await app.register(httpProxy, {
      upstream,
      prefix,
      rewritePrefix: prefix,
      disableRequestLogging: true,
      preHandler: detachBody,
      replyOptions: {
        onResponse: (request, reply, answer) =>
          relayAnswer(request as FastifyRequest, reply as FastifyReply, answer as { stream: NodeJS.ReadableStream }),
        // A refused or reset connection is an outage of ingest: one error shape, and no blind retries.
        onError: (reply, { error }) => void reply.send(upstreamUnavailable(error)),
        retryDelay: () => null,
        rewriteRequestHeaders: (request, headers) => forwardedHeaders(request as FastifyRequest, headers as IncomingHttpHeaders),
      },
    });
  }
}
