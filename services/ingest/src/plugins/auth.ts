import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  API_KEY_HEADER,
  API_ROUTES,
  AppError,
  type ApiRoute,
  expectedOrigin,
  roleAllows,
  SESSION_COOKIE,
  sessionSettingsOf,
} from '@docprocessor/contracts';
import { type Authenticate, createCallerAuthenticator, type Principal } from '@docprocessor/db';
import type { IngestContext } from '../imports/context.js';
import { API_DOCS_PREFIX } from './api-docs.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** The documented route this request matched; undefined for an unknown path. */
    apiRoute: ApiRoute | undefined;
  }
}

/** Fastify's `/api/imports/:id` for the document's `/api/imports/{id}`. */
const ROUTES_BY_PATTERN = new Map(
  API_ROUTES.map((route) => [`${route.method.toUpperCase()} ${route.path.replace(/\{(\w+)\}/g, ':$1')}`, route]),
);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const NEEDS_CREDENTIALS = 'Sign in, or send a valid API key in the X-API-Key header';

const firstHeader = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();

/** The cookie's attributes: HttpOnly always, Secure over HTTPS, SameSite=Lax so a link from a mail still opens signed in. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, ctx: IngestContext): void {
  const secure = expectedOrigin(request, ctx.config.PUBLIC_ORIGIN).startsWith('https:');
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: ctx.config.SESSION_MAX_HOURS * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax' });
}

/**
 * Every /api route but the open ones needs an API key or a session cookie, and the role its entry in API_ROUTES
 * names (403 `forbidden` below it). A request signed in by cookie that changes something must come with the
 * Origin of the one origin (403 otherwise): the cookie alone could have been sent by another site's form.
 */
export const authPlugin = fp<{ authenticate: Authenticate; ctx: IngestContext }>(
  async (app, { authenticate, ctx }) => {
    const callers = createCallerAuthenticator(authenticate, ctx.db.sql, sessionSettingsOf(ctx.config));
    await app.register(cookie);
    app.decorateRequest('principal', null);
    app.decorateRequest('apiRoute', undefined);
    app.addHook('onRequest', async (request, reply) => {
      const path = request.url.split('?', 1)[0] ?? '';
      if (!path.startsWith('/api/')) return;
      request.apiRoute = ROUTES_BY_PATTERN.get(`${request.method} ${request.routeOptions.url ?? ''}`);
      // The browsable API docs are Swagger UI's own routes, not in API_ROUTES: open, like the document they show.
      const isDocs = path === API_DOCS_PREFIX || path.startsWith(`${API_DOCS_PREFIX}/`);
      const access = request.apiRoute?.access ?? (isDocs ? 'open' : 'viewer');
      const apiKey = firstHeader(request.headers[API_KEY_HEADER]);
      const sessionToken = request.cookies[SESSION_COOKIE];
      if (access === 'open' && !apiKey && !sessionToken) return;
      const match = await callers.identify({ apiKey, sessionToken });
      if (!match) {
        if (access === 'open') return;
        if (sessionToken && !apiKey) clearSessionCookie(reply);
        throw new AppError('unauthorized', NEEDS_CREDENTIALS);
      }
      request.principal = match.principal;
      if (match.renewedToken) setSessionCookie(request, reply, match.renewedToken, ctx);
      if (match.principal.kind === 'session' && !SAFE_METHODS.has(request.method)) {
        const origin = request.headers.origin;
        if (origin !== expectedOrigin(request, ctx.config.PUBLIC_ORIGIN))
          throw new AppError('forbidden', 'A request signed in by cookie must come from this site (its Origin header did not match)');
      }
      if (access !== 'open' && !roleAllows(match.principal.role, access))
        throw new AppError('forbidden', `This needs the ${access} role; ${match.principal.actor} is ${match.principal.role}`);
    });
  },
  { name: 'auth' },
);

export function principalOf(request: { principal: Principal | null }): Principal {
  if (!request.principal) throw new AppError('unauthorized', NEEDS_CREDENTIALS);
  return request.principal;
}
