import type { FastifyInstance } from 'fastify';
import type { Health } from '@docprocessor/contracts';
import type { IngestContext } from '../imports/context.js';

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

async function check(probe: () => Promise<unknown>): Promise<Health['checks']['database']> {
  try {
    await withTimeout(probe(), 2000);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

export async function metaRoutes(app: FastifyInstance, { ctx }: { ctx: IngestContext }): Promise<void> {
  app.get('/api/health', async (_request, reply) => {
    const [database, nats] = await Promise.all([check(() => ctx.db.sql`select 1`), check(() => ctx.bus.jsm.getAccountInfo())]);
    const ok = database.ok && nats.ok;
    const body: Health = { status: ok ? 'ok' : 'degraded', checks: { database, nats }, maxUploadBytes: ctx.config.MAX_UPLOAD_BYTES };
    return reply.code(ok ? 200 : 503).send(body);
  });
}
