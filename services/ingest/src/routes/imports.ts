import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError, IDEMPOTENCY_KEY_HEADER, JobIdParams, ListImportsQuery, type Job } from '@docprocessor/contracts';
import { decodeCursor, findJob, listJobs } from '@docprocessor/db';
import type { IngestContext } from '../imports/context.js';
import { addFix } from '../imports/add-fix.js';
import { CapacityGuard } from '../imports/capacity-guard.js';
import { cancelImport } from '../imports/cancel-import.js';
import { commitDryRun } from '../imports/commit-dry-run.js';
import { createImport, findByIdempotencyKey } from '../imports/create-import.js';
import { receiveUpload } from '../imports/receive-upload.js';
import { retryImport } from '../imports/retry-import.js';
import { revertImport } from '../imports/revert-import.js';
import { revertPlan } from '../imports/revert-plan.js';
import { principalOf } from '../plugins/auth.js';
import { auditEntry } from '../plugins/audit.js';

const idempotencyKeyOf = (value: string | string[] | undefined): string | undefined => {
  const key = (Array.isArray(value) ? value[0] : value)?.trim();
  if (key === undefined || key === '') return undefined;
  if (key.length > 200) throw new AppError('invalid_request', 'Idempotency-Key must be at most 200 characters');
  return key;
};

/** An upload's Idempotency-Key and the job it already created, read once per request (the rate limit asks first). */
interface Idempotency {
  key: string | undefined;
  replayOf: Promise<Job | undefined>;
}
const idempotencies = new WeakMap<FastifyRequest, Idempotency>();
function idempotencyOf(ctx: IngestContext, request: FastifyRequest): Idempotency {
  let idempotency = idempotencies.get(request);
  if (!idempotency) {
    const key = idempotencyKeyOf(request.headers[IDEMPOTENCY_KEY_HEADER]);
    idempotency = { key, replayOf: key ? findByIdempotencyKey(ctx, principalOf(request), key) : Promise.resolve(undefined) };
    idempotencies.set(request, idempotency);
  }
  return idempotency;
}

export async function importRoutes(app: FastifyInstance, { ctx }: { ctx: IngestContext }): Promise<void> {
  const rateLimit = {
    max: ctx.config.UPLOAD_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    // A repeated Idempotency-Key is answered with its job, never refused: the upload it repeats was counted.
    allowList: async (request: FastifyRequest) => (await idempotencyOf(ctx, request).replayOf) !== undefined,
  };
  // Checked before the body is read; an upload that repeats an Idempotency-Key is answered with its job, never refused.
  const capacity = new CapacityGuard(ctx);
  const refuseWhenFull = async (request: FastifyRequest) => {
    if ((await idempotencyOf(ctx, request).replayOf) === undefined) await capacity.check();
  };
  const whenRoom = { preHandler: async () => capacity.check() };

  app.post('/api/imports', { config: { rateLimit }, preHandler: refuseWhenFull }, async (request, reply) => {
    const principal = principalOf(request);
    const { key: idempotencyKey, replayOf } = idempotencyOf(ctx, request);
    const existing = await replayOf;
    if (existing) return reply.code(200).send(existing);
    if (!request.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data with the field "file"');
    const jobId = randomUUID();
    // The job's id exists from here on: this request's later lines (its completion, a refusal) carry it.
    request.log = reply.log = request.log.child({ jobId });
    const upload = await receiveUpload(ctx, request, jobId);
    const audit = auditEntry(request, `job:${jobId}`, { filename: upload.filename });
    const { job, created } = await createImport({ ctx, input: { principal, jobId, upload, idempotencyKey, audit } });
    if (created) {
      app.metrics.uploadedBytes.inc({ template: job.template }, job.sizeBytes);
      app.metrics.jobsCreated.inc({ template: job.template });
    }
    return reply.code(created ? 202 : 200).send(job);
  });

  app.get('/api/imports', async (request) => {
    const query = ListImportsQuery.parse(request.query);
    if (query.cursor && !decodeCursor(query.cursor)) throw new AppError('invalid_request', 'The cursor is not one this API gave out');
    return listJobs(ctx.db.db, { tenantId: principalOf(request).tenantId }, query);
  });

  app.get('/api/imports/:id', async (request) => {
    const { id } = JobIdParams.parse(request.params);
    const job = await findJob(ctx.db.db, id, { tenantId: principalOf(request).tenantId });
    if (!job) throw new AppError('not_found', `No import ${id}`);
    return job;
  });

  app.post('/api/imports/:id/cancel', async (request, reply) => {
    const { id } = JobIdParams.parse(request.params);
    const job = await cancelImport({ ctx, input: { principal: principalOf(request), jobId: id, audit: auditEntry(request) } });
    // Cancelled at once: it was pending, so no worker will ever count its end.
    if (job.status === 'cancelled') app.metrics.jobsFinished.inc({ status: 'cancelled', template: job.template });
    // 202 while the worker is still stopping at its next batch boundary.
    return reply.code(job.status === 'cancelled' ? 200 : 202).send(job);
  });

  app.post('/api/imports/:id/commit', whenRoom, async (request, reply) => {
    const { id } = JobIdParams.parse(request.params);
    const { job, created } = await commitDryRun({ ctx, input: { principal: principalOf(request), jobId: id, audit: auditEntry(request) } });
    if (created) app.metrics.jobsCreated.inc({ template: job.template });
    return reply.code(created ? 202 : 200).send(job);
  });

  app.get('/api/imports/:id/revert', async (request) => {
    const { id } = JobIdParams.parse(request.params);
    return revertPlan({ ctx, input: { principal: principalOf(request), jobId: id } });
  });

  app.post('/api/imports/:id/revert', async (request, reply) => {
    const { id } = JobIdParams.parse(request.params);
    return reply
      .code(202)
      .send(await revertImport({ ctx, input: { principal: principalOf(request), jobId: id, audit: auditEntry(request) } }));
  });

  app.post('/api/imports/:id/fixes', whenRoom, async (request, reply) => {
    const { id } = JobIdParams.parse(request.params);
    if (!request.isMultipart())
      throw new AppError('unsupported_media_type', 'Send the corrected file as multipart/form-data with the field "file"');
    return reply
      .code(202)
      .send(await addFix({ ctx, input: { principal: principalOf(request), jobId: id, request, audit: auditEntry(request) } }));
  });

  app.post('/api/imports/:id/retry', whenRoom, async (request, reply) => {
    const { id } = JobIdParams.parse(request.params);
    return reply
      .code(202)
      .send(await retryImport({ ctx, input: { principal: principalOf(request), jobId: id, audit: auditEntry(request) } }));
  });
}
