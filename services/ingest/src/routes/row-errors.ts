import type { FastifyInstance } from 'fastify';
import { JobIdParams, ListErrorsQuery } from '@docprocessor/contracts';
import type { IngestContext } from '../imports/context.js';
import { listRowErrors, rowErrorsCsv, summarizeRowErrors } from '../imports/row-errors.js';
import { principalOf } from '../plugins/auth.js';

export async function rowErrorRoutes(app: FastifyInstance, { ctx }: { ctx: IngestContext }): Promise<void> {
  app.get('/api/imports/:id/errors', async (request) => {
    const { id } = JobIdParams.parse(request.params);
    const query = ListErrorsQuery.parse(request.query);
    return listRowErrors({ db: ctx.db.db, input: { principal: principalOf(request), jobId: id, ...query } });
  });

  app.get('/api/imports/:id/errors/summary', async (request) => {
    const { id } = JobIdParams.parse(request.params);
    return summarizeRowErrors({ db: ctx.db.db, input: { principal: principalOf(request), jobId: id } });
  });

  app.get('/api/imports/:id/errors.csv', async (request, reply) => {
    const { id } = JobIdParams.parse(request.params);
    const csv = await rowErrorsCsv({ db: ctx.db, input: { principal: principalOf(request), jobId: id } });
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="import-${id}-errors.csv"`).send(csv);
  });
}
