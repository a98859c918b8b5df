import { access } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { AppError } from '@docprocessor/contracts';
import { pathOf } from '../logging.js';

const NOT_BUILT_PAGE = [
  'DocProcessor: the web UI is not built yet.',
  '',
  'Run `npm run build` (or `npm start`) from the repository root, then reload this page.',
  'The API (/api/*) and the live events (/ws) work without it.',
  '',
].join('\n');

/** Paths that belong to the API, the socket or the gateway itself: they never fall back to the UI. */
const NOT_UI = /^\/(api|ws|metrics|gateway)(\/|$)/;

/**
 * A GET the UI's client-side router should answer: a page navigation (Accept: text/html), or a path without a
 * file extension. A missing /assets/x.js stays a 404 instead of quietly becoming HTML.
 */
function isUiRoute(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = pathOf(request);
  if (NOT_UI.test(path)) return false;
  return extname(path) === '' || (request.headers.accept ?? '').includes('text/html');
}

async function sendIndex(reply: FastifyReply, webDist: string): Promise<FastifyReply> {
  const built = await access(join(webDist, 'index.html')).then(
    () => true,
    () => false,
  );
  if (!built) return reply.code(200).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT_PAGE);
  return reply.header('cache-control', 'no-cache').sendFile('index.html', webDist, { cacheControl: false });
}

/**
 * The built UI from WEB_DIST, with the SPA fallback to index.html. Hashed files under /assets are cached for good,
 * everything else is revalidated so a new build shows up at once. Every other miss is a JSON 404.
 */
export async function webRoutes(app: FastifyInstance, { webDist }: { webDist: string }): Promise<void> {
  app.setNotFoundHandler(async (request, reply) => {
    if (isUiRoute(request)) return sendIndex(reply, webDist);
    const path = pathOf(request);
    return reply.code(404).send(new AppError('not_found', `No route ${request.method} ${path}`).toBody());
  });
  await app.register(fastifyStatic, {
    root: webDist,
    wildcard: true,
    cacheControl: false,
    setHeaders: (reply, filePath) => {
      const immutable = filePath.includes(`${join(webDist, 'assets')}`);
      reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
