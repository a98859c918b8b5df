import fp from 'fastify-plugin';
import { API_KEY_HEADER, AppError } from '@docprocessor/contracts';
import type { Authenticate, Principal } from '@docprocessor/db';
import { API_DOCS_PREFIX, OPENAPI_PATH } from './api-docs.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

const OPEN_ROUTES = new Set(['/api/health', OPENAPI_PATH]);
const isOpen = (path: string) => OPEN_ROUTES.has(path) || path === API_DOCS_PREFIX || path.startsWith(`${API_DOCS_PREFIX}/`);

/** Every /api route but health and the API docs needs X-API-Key; the principal it names decides which jobs the caller sees. */
export const authPlugin = fp<{ authenticate: Authenticate }>(
  async (app, { authenticate }) => {
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      const path = request.url.split('?', 1)[0] ?? '';
      if (!path.startsWith('/api/') || isOpen(path)) return;
      const header = request.headers[API_KEY_HEADER];
      request.principal = await authenticate(Array.isArray(header) ? header[0] : header);
      if (!request.principal) throw new AppError('unauthorized', 'A valid API key is required in the X-API-Key header');
    });
  },
  { name: 'auth' },
);

export function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new AppError('unauthorized', 'A valid API key is required in the X-API-Key header');
  return request.principal;
}
