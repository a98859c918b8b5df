import type { FastifyInstance } from 'fastify';
import { AppError, describeTemplateIssue, TemplateChange, TemplateInput, TemplateName } from '@docprocessor/contracts';
import { changeTemplate, createTemplate, deleteTemplate, findTemplate, listTemplates } from '@docprocessor/db';
import type { IngestContext } from '../imports/context.js';
import { principalOf } from '../plugins/auth.js';
import { auditEntry } from '../plugins/audit.js';

/** A definition in a request body, or `400 invalid_template` naming the first field that is wrong. */
function definitionOf<T>(
  schema: {
    safeParse(
      body: unknown,
    ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  body: unknown,
): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError('invalid_template', describeTemplateIssue(parsed.error.issues[0]!));
  return parsed.data;
}

function nameOf(params: unknown): string {
  const name = TemplateName.safeParse((params as { name?: unknown }).name);
  if (!name.success) throw new AppError('not_found', 'No such template');
  return name.data;
}

export async function templateRoutes(app: FastifyInstance, { ctx }: { ctx: IngestContext }): Promise<void> {
  app.get('/api/templates', async (request) => listTemplates(ctx.db, principalOf(request).tenantId));

  app.get('/api/templates/:name', async (request) => {
    const name = nameOf(request.params);
    const template = await findTemplate(ctx.db, principalOf(request).tenantId, name);
    if (!template) throw new AppError('not_found', `No template ${name}`);
    return template;
  });

  app.post('/api/templates', async (request, reply) => {
    const input = definitionOf(TemplateInput, request.body);
    const template = await createTemplate(ctx.db, principalOf(request).tenantId, input, auditEntry(request, `template:${input.name}`));
    request.log.info({ template: template.name, table: template.table, managed: template.managed }, 'template created');
    return reply.code(201).send(template);
  });

  app.put('/api/templates/:name', async (request) => {
    const name = nameOf(request.params);
    const change = definitionOf(TemplateChange, request.body);
    const template = await changeTemplate(ctx.db, principalOf(request).tenantId, name, change, auditEntry(request));
    request.log.info({ template: name }, 'template changed');
    return template;
  });

  app.delete('/api/templates/:name', async (request, reply) => {
    const name = nameOf(request.params);
    await deleteTemplate(ctx.db, principalOf(request).tenantId, name, auditEntry(request));
    request.log.info({ template: name }, 'template deleted');
    return reply.code(204).send();
  });
}
