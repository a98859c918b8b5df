import type { FastifyInstance } from 'fastify';
import {
  AppError,
  expectedOrigin,
  JobIdParams,
  ListAuditQuery,
  type Me,
  SESSION_COOKIE,
  SignIn,
  type SignInOptions,
  sessionSettingsOf,
} from '@docprocessor/contracts';
import { endSession, findJob, listAudit, signIn, withAudit } from '@docprocessor/db';
import type { IngestContext } from '../imports/context.js';
import { auditEntry } from '../plugins/audit.js';
import { clearSessionCookie, principalOf, setSessionCookie } from '../plugins/auth.js';
import { ssoOption } from '../sso/sso-routes.js';

/** Sign-in and sign-out, who the caller is, and the audit log (CONTRACT.md, "People and roles"). */
export async function peopleRoutes(app: FastifyInstance, { ctx }: { ctx: IngestContext }): Promise<void> {
  const { config } = ctx;
  const settings = sessionSettingsOf(config);
  const limits = {
    maxFailuresPerEmail: config.SIGN_IN_MAX_FAILURES,
    maxFailuresPerAddress: config.SIGN_IN_MAX_FAILURES_PER_ADDRESS,
    windowMinutes: config.SIGN_IN_WINDOW_MINUTES,
  };

  app.get(
    '/api/session/options',
    async (): Promise<SignInOptions> => ({
      password: true,
      apiKey: config.NODE_ENV !== 'production' && config.API_KEYS.length > 0,
      sso: ssoOption(config),
    }),
  );

  app.post('/api/session', async (request, reply) => {
    // A sign-in posted by another site's form would sign the browser into the attacker's account (login CSRF).
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== expectedOrigin(request, config.PUBLIC_ORIGIN))
      throw new AppError('forbidden', 'A sign-in must come from this site (its Origin header did not match)');
    const input = SignIn.parse(request.body);
    const result = await signIn(ctx.db, { ...input, address: request.ip }, settings, limits);
    if (!result.ok && result.reason === 'rate_limited')
      throw new AppError('rate_limited', `Too many failed sign-ins; try again in ${limits.windowMinutes} minutes`, {
        headers: { 'retry-after': String(limits.windowMinutes * 60) },
      });
    if (!result.ok) throw new AppError('unauthorized', 'Wrong email or password');
    request.log.info({ tenantId: result.tenantId, email: result.email }, 'signed in');
    setSessionCookie(request, reply, result.token, ctx);
    return reply.code(204).send();
  });

  app.delete('/api/session', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    const principal = request.principal;
    if (token && principal?.kind === 'session')
      await withAudit(ctx.db.sql, auditEntry(request, `user:${principal.email}`), (sql) => endSession(sql, token));
    clearSessionCookie(reply);
    return reply.code(204).send();
  });

  app.get('/api/me', async (request): Promise<Me> => {
    const principal = principalOf(request);
    return { email: principal.email, tenant: principal.tenantId, role: principal.role, via: principal.kind, actor: principal.actor };
  });

  app.get('/api/audit', async (request) => {
    const query = ListAuditQuery.parse(request.query);
    const page = await listAudit(ctx.db.sql, principalOf(request).tenantId, query);
    if (!page) throw new AppError('invalid_request', 'The cursor is not one this API gave out');
    return page;
  });

  app.get('/api/imports/:id/audit', async (request) => {
    const { id } = JobIdParams.parse(request.params);
    const { tenantId } = principalOf(request);
    if (!(await findJob(ctx.db.db, id, { tenantId }))) throw new AppError('not_found', `No import ${id}`);
    return listAudit(ctx.db.sql, tenantId, { limit: 200, target: `job:${id}` });
  });
}
