import type { Logger } from 'pino';
import { isAppError, type ImportEvent, type JobRevert } from '@docprocessor/contracts';
import { publishChange, publishEvent } from '@docprocessor/bus';
import {
  describeConflicts,
  findJobRow,
  findTemplate,
  recordRevertError,
  repeatFinal,
  revertConflicts,
  revertJob,
  toJob,
  type ImportJobRow,
  type Queries,
  RETRIED_REVERT,
} from '@docprocessor/db';
import type { ProcessorContext } from '../context.js';
import { describeTargetTable } from '../import-file/write/target-table.js';
import type { RepairHandler, RepairLease } from '../work/repair-consumer.js';
import { deleteBatch, dropJobImages, restoreBatch, revertTargetOf, type BatchDone, type RevertTarget } from './revert-batches.js';

/** Why a revert is not done, recorded on job.revert.error: the job keeps its status and may be reverted again later. */
type Refusal = NonNullable<JobRevert['error']>;

/**
 * Takes an import back: restores every row it updated from its before-images, then deletes every row it inserted,
 * in batches of PROCESSOR_BATCH_ROWS rows (one transaction each, with job.revert.done and a progress event), then
 * drops its images and ends the job `reverted`. Every batch is safe to repeat, so a revert killed anywhere is
 * redelivered and ends exactly right. A later import that changed the same rows since the request (or images
 * dropped by retention) refuses it before anything changes: recorded on job.revert.error, logged, not retried.
 */
export const revertImport: RepairHandler = async (ctx, item, lease) => {
  const log = ctx.logger.child({ jobId: item.jobId, repair: 'revert' });
  const row = await findJobRow(ctx.db.db, item.jobId, { tenantId: null });
  if (!row) return log.warn('revert of a job that does not exist; dropped');
  if (row.status === 'reverted') {
    // A worker died between the last commit and its event: say it again (the event's id makes a repeat harmless).
    const again = repeatFinal(row);
    if (again) await publishChange(ctx.bus, again);
    return;
  }
  if (!row.revert || (row.revert.error && row.revert.error.code !== RETRIED_REVERT))
    return log.info('no revert is asked for this job (it was refused or withdrawn); nothing to do');

  const target = await targetOf(ctx, row);
  if ('code' in target) return refuse(ctx, log, row, target);
  if (row.beforeImagesDroppedAt) return refuse(ctx, log, row, expired());
  const conflicts = await revertConflicts(ctx.db.sql, row.id);
  if (conflicts.length > 0) return refuse(ctx, log, row, { code: 'revert_conflict', message: describeConflicts(conflicts) });

  try {
    if (row.revert.error) await recordRevertError(ctx.db.sql, row.id, null);
    await revertRows(ctx, log, row, target, lease);
  } catch (error) {
    if (isAppError(error) && error.code === 'revert_expired') return refuse(ctx, log, row, { code: error.code, message: error.message });
    const message = error instanceof Error ? error.message : String(error);
    // Kept on the job so a revert that fails on every delivery can be seen, and asked for again.
    await recordRevertError(ctx.db.sql, row.id, {
      code: RETRIED_REVERT,
      message: `The revert failed and is being retried: ${message}`,
    }).catch((cause: unknown) => log.warn({ err: cause }, 'could not record the failure on the job'));
    throw error;
  }
  await dropJobImages(ctx.db.sql, row.id);
  const change = await revertJob(ctx.db, row.id);
  if (!change) throw new Error(`job ${row.id} could not be marked reverted (its status changed meanwhile)`);
  await publishChange(ctx.bus, change);
  log.info({ rows: change.row.revert?.done }, 'import reverted');
};

async function targetOf(ctx: ProcessorContext, row: ImportJobRow): Promise<RevertTarget | Refusal> {
  const template = await findTemplate(ctx.db, row.tenantId, row.template);
  if (!template)
    return { code: 'unknown_template', message: `The template ${row.template} no longer exists, so its rows cannot be reverted` };
  try {
    return revertTargetOf(template, await describeTargetTable(ctx.db.sql, template));
  } catch (error) {
    if (isAppError(error) && error.code === 'target_missing') return { code: error.code, message: error.message };
    throw error;
  }
}

const expired = (): Refusal => ({
  code: 'revert_expired',
  message: 'The earlier values of rows this import changed are no longer kept (BEFORE_IMAGE_RETENTION_DAYS), so it cannot be reverted',
});

/** Restores, then deletes, one batch per transaction until nothing is left, announcing each batch. */
async function revertRows(ctx: ProcessorContext, log: Logger, row: ImportJobRow, target: RevertTarget, lease: RepairLease): Promise<void> {
  const limit = ctx.config.PROCESSOR_BATCH_ROWS;
  const inBatch = (work: (sql: Queries) => Promise<BatchDone>) => ctx.db.sql.begin((sql) => work(sql)) as Promise<BatchDone>;
  let after = 0;
  let skipped = 0;
  for (;;) {
    const done = await inBatch((sql) => restoreBatch(sql, row.id, target, after, limit));
    if (done.rows === 0) break;
    after = done.lastImage ?? after;
    skipped += done.skipped;
    await announce(ctx, log, done.job, lease);
  }
  for (;;) {
    const done = await inBatch((sql) => deleteBatch(sql, row.id, target, limit));
    if (done.rows === 0) break;
    await announce(ctx, log, done.job, lease);
  }
  if (skipped > 0) log.warn({ skipped }, 'rows changed since this import wrote them (not by an import) kept their current values');
}

/** A progress event per batch: no message id, so the stream's dedupe never drops one. */
async function announce(ctx: ProcessorContext, log: Logger, job: ImportJobRow | undefined, lease: RepairLease): Promise<void> {
  lease.renew();
  if (!job) return;
  await publishEvent(ctx.bus, 'progress' satisfies ImportEvent['type'], toJob(job), { tenantId: job.tenantId, dedupe: false }).catch(
    (error: unknown) => log.warn({ err: error }, 'revert progress event not published; the next one or the final one will say it'),
  );
}

async function refuse(ctx: ProcessorContext, log: Logger, row: ImportJobRow, refusal: Refusal): Promise<void> {
  log.warn({ code: refusal.code }, `revert refused: ${refusal.message}`);
  const job = await recordRevertError(ctx.db.sql, row.id, refusal);
  if (job) await publishEvent(ctx.bus, 'progress', toJob(job), { tenantId: job.tenantId, dedupe: false });
}
