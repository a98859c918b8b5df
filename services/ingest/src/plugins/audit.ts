import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { type AuditActor, type AuditRecord, type Principal, recordAudit } from '@docprocessor/db';
import type { IngestContext } from '../imports/context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The code of the error this request was answered with, for the audit entry of a refusal. */
    failureCode: string | undefined;
  }
}

export const actorOf = (principal: Principal, address: string): AuditActor => ({
  kind: principal.kind === 'session' ? 'user' : 'key',
  id: principal.userId ?? principal.keyId,
  name: principal.actor,
  tenantId: principal.tenantId,
  address,
});

/** What a route's params name: `job:<id>`, `webhook:<id>`, `template:<name>`. */
function targetOfParams(request: FastifyRequest): string | null {
  const params = (request.params ?? {}) as Record<string, string | undefined>;
  const path = request.apiRoute?.path ?? '';
  if (params.id && path.startsWith('/api/imports/')) return `job:${params.id}`;
  if (params.id && path.startsWith('/api/webhooks/')) return `webhook:${params.id}`;
  if (params.name && path.startsWith('/api/templates/')) return `template:${params.name}`;
  return null;
}

/**
 * The entry of a change this request makes, for the function that makes it to write in its transaction.
 * The action is the one the route's entry in API_ROUTES names.
 */
export function auditEntry(request: FastifyRequest, target?: string, detail?: Record<string, unknown>): AuditRecord {
  const action = request.apiRoute?.audit;
  if (!action || !request.principal) throw new Error(`${request.method} ${request.url} records no audit action`);
  return {
    actor: actorOf(request.principal, request.ip),
    action,
    target: target ?? targetOfParams(request),
    outcome: 'ok',
    detail: detail ?? null,
  };
}

/**
 * Refusals and failures of actions are recorded too (a viewer's cancel, a revert in conflict), after the answer;
 * successes are recorded by the change itself, in its transaction. Sign-in records its own refusals: they count
 * towards its limits. A caller who is not known (401) has no tenant to keep an entry for.
 */
export const auditPlugin = fp<{ ctx: IngestContext }>(
  async (app, { ctx }) => {
    app.decorateRequest('failureCode', undefined);
    app.addHook('onError', async (request, _reply, error) => {
      request.failureCode = (error as { code?: string }).code ?? 'internal';
    });
    app.addHook('onResponse', async (request, reply) => {
      const action = request.apiRoute?.audit;
      if (!action || action === 'session.sign_in' || reply.statusCode < 400 || !request.principal) return;
      const record: AuditRecord = {
        actor: actorOf(request.principal, request.ip),
        action,
        target: targetOfParams(request),
        outcome: reply.statusCode >= 500 ? 'failed' : 'refused',
        detail: { code: request.failureCode ?? null, status: reply.statusCode },
      };
      try {
        await recordAudit(ctx.db.sql, record);
      } catch (error) {
        request.log.error({ err: error, action, target: record.target }, 'could not record the audit entry of a refused action');
      }
    });
  },
  { name: 'audit' },
);
