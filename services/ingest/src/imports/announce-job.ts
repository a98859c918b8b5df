import { and, asc, eq, isNull, lt, sql } from 'drizzle-orm';
import { publishChange } from '@docprocessor/bus';
import { changeOf, importJobs, type JobChangeRow } from '@docprocessor/db';
import type { IngestContext } from './context.js';

type AnnounceContext = Pick<IngestContext, 'db' | 'bus' | 'logger'>;

/**
 * Publishes the `created` work item of a committed job and marks it announced. If NATS is down the job
 * stays unannounced and the sweeper tries again; the message id makes a double publish harmless.
 */
export async function announceJob(ctx: AnnounceContext, change: JobChangeRow): Promise<boolean> {
  const { row } = change;
  try {
    await publishChange(ctx.bus, change);
    await ctx.db.db
      .update(importJobs)
      .set({ announcedAt: new Date() })
      .where(and(eq(importJobs.id, row.id), eq(importJobs.attempt, row.attempt)));
    return true;
  } catch (error) {
    ctx.logger.warn({ err: error, jobId: row.id }, 'could not announce job yet; the sweeper will retry');
    return false;
  }
}

/** The outbox sweeper: jobs committed but never announced (publish failed, process died) get announced now. */
export async function sweepUnannouncedJobs(ctx: AnnounceContext, olderThanMs = 2000): Promise<number> {
  const rows = await ctx.db.db
    .select()
    .from(importJobs)
    .where(
      and(
        eq(importJobs.status, 'pending'),
        isNull(importJobs.announcedAt),
        lt(importJobs.updatedAt, sql`now() - make_interval(secs => ${olderThanMs / 1000})`),
      ),
    )
    .orderBy(asc(importJobs.createdAt))
    .limit(100);
  let announced = 0;
  for (const row of rows) if (await announceJob(ctx, changeOf(row, 'created'))) announced++;
  if (rows.length) ctx.logger.info({ found: rows.length, announced }, 'outbox sweep');
  return announced;
}
