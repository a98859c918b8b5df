import type { FastifyInstance } from 'fastify';
import { AppError, JobIdParams, ListDeliveriesQuery, type Webhook, WebhookInput, WebhookParams } from '@docprocessor/contracts';
import { createWebhook, deleteWebhook, listDeliveries, listJobDeliveries, listWebhooks, withAudit } from '@docprocessor/db';
import type { IngestContext } from '../imports/context.js';
import { principalOf } from '../plugins/auth.js';
import { auditEntry } from '../plugins/audit.js';

const parseInput = (body: unknown) => {
  const parsed = WebhookInput.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new AppError('invalid_request', `${issue.path.join('.') || 'body'}: ${issue.message}`);
};

const webhookId = (params: unknown) => {
  const parsed = WebhookParams.safeParse(params);
  if (!parsed.success) throw new AppError('not_found', 'No such webhook');
  return parsed.data.id;
};

/** Webhooks of the caller's tenant: register, list, delete, and see each delivery's attempts, by webhook or by job. */
export async function webhookRoutes(app: FastifyInstance, { ctx }: { ctx: IngestContext }): Promise<void> {
  app.post('/api/webhooks', async (request, reply) => {
    const input = parseInput(request.body);
    const created = await withAudit(
      ctx.db.sql,
      (webhook: Webhook) => auditEntry(request, `webhook:${webhook.id}`, { url: webhook.url, events: webhook.events }),
      (sql) => createWebhook(sql, principalOf(request).tenantId, input),
    );
    return reply.code(201).send(created);
  });

  app.get('/api/webhooks', async (request) => listWebhooks(ctx.db.sql, principalOf(request).tenantId));

  app.delete('/api/webhooks/:id', async (request, reply) => {
    const id = webhookId(request.params);
    const deleted = await withAudit(ctx.db.sql, auditEntry(request), async (sql) =>
      (await deleteWebhook(sql, principalOf(request).tenantId, id)) ? true : undefined,
    );
    if (!deleted) throw new AppError('not_found', `No webhook ${id}`);
    return reply.code(204).send();
  });

  app.get('/api/webhooks/:id/deliveries', async (request) => {
    const id = webhookId(request.params);
    const query = ListDeliveriesQuery.safeParse(request.query);
    if (!query.success) throw new AppError('invalid_request', query.error.issues[0]!.message);
    const list = await listDeliveries(ctx.db.sql, principalOf(request).tenantId, id, query.data);
    if (!list) throw new AppError('not_found', `No webhook ${id}`);
    return list;
  });

  // The job's page shows what its events became at the tenant's receivers.
  app.get('/api/imports/:id/webhook-deliveries', async (request) => {
    const { id } = JobIdParams.parse(request.params);
    const list = await listJobDeliveries(ctx.db.sql, principalOf(request).tenantId, id);
    if (!list) throw new AppError('not_found', `No import ${id}`);
    return list;
  });
}
