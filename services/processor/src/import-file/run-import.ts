import { AppError, findTemplate, matchHeader, type JobError, type Template } from '@docprocessor/contracts';
import { publishEvent } from '@docprocessor/bus';
import { toJob, type ImportJobRow } from '@docprocessor/db';
import type { ProcessorContext } from '../context.js';
import { BatchBuilder } from './batch-builder.js';
import { heartbeatSilenceMs } from './claim-job.js';
import { cancelJob, completeJob, failJob, recordIgnoredColumns, releaseJob } from './finish-job.js';
import { ProgressReporter } from './progress-reporter.js';
import { readCsv } from './read-csv.js';
import { StraightCopyPolicy } from './straight-copy-policy.js';
import { targetTableOf } from './target-table.js';
import type { Utf8Checker } from './utf8-checker.js';
import { prepareStaging, writeBatch, type Batch, type RunIdentity, type Totals } from './write-batch.js';

export interface Lease {
  /** Tells JetStream the job is alive, so it is not handed to another worker. */
  renew(): void;
  /** True once this worker is shutting down: stop at the next batch boundary and hand the job back. */
  stopping(): boolean;
  /** When the claim was sent (this machine's clock): the job's heartbeat in the database is no older. */
  claimedAt: number;
}

/**
 * How long the progress heartbeat may repeat a state without a new commit: half the shortest silence after which
 * the job can be taken from its worker (by another worker's claim, or by the watchdog), so a hung worker falls
 * silent well before.
 */
const quietAfterMs = (ctx: ProcessorContext) => Math.min(heartbeatSilenceMs(ctx.config.ACK_WAIT_MS), ctx.config.WATCHDOG_STALL_MS) / 2;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const validationError = (code: JobError['code'], message: string, row?: number): JobError => ({ kind: 'validation', code, message, row: row ?? null });

/**
 * Runs one claimed job to a final state: parse, validate and write in batches, up to two writes queued
 * while the next batch is parsed, then complete. A file the job cannot read fails it (kind validation);
 * infrastructure and unexpected errors are thrown to the consumer, which retries or dead-letters.
 */
export async function runImport(ctx: ProcessorContext, claimed: ImportJobRow, lease: Lease): Promise<ImportJobRow | 'released'> {
  const log = ctx.logger.child({ jobId: claimed.id, attempt: claimed.attempt });
  const template = findTemplate(claimed.template);
  if (!template) return finishFailed(ctx, claimed, { kind: 'system', code: 'internal_error', message: `Unknown template ${claimed.template}` });
  await publishEvent(ctx.bus, 'started', toJob(claimed), { tenantId: claimed.tenantId });
  const file = await ctx.files.read(claimed.objectName);
  if (!file) return finishFailed(ctx, claimed, { kind: 'system', code: 'file_missing', message: 'The uploaded file is no longer stored' });

  const run: RunIdentity = {
    jobId: claimed.id,
    runId: claimed.runId!,
    attempt: claimed.attempt,
    onDuplicate: claimed.onDuplicate,
    maxStoredErrors: ctx.config.MAX_STORED_ERRORS,
    writes: new StraightCopyPolicy(),
  };
  const table = targetTableOf(template);
  const resumeAfter = claimed.processedRows;
  // Started once the header is accepted, and always stopped before a final event, which must be the job's last.
  let progress: ProgressReporter | null = null;
  let totals: Totals = { processed: claimed.processedRows, success: claimed.successRows, failed: claimed.failedRows, errors: claimed.errorsTotal };
  let job = claimed;
  let inFlight = null as Promise<void> | null;
  let cancelled = false;

  // One connection for the whole job: its staging table is made once, and batches never wait for the pool.
  const connection = await ctx.db.sql.reserve();
  const commit = (batch: Batch) => {
    // Taken before BEGIN: the heartbeat the batch commits is stamped with the transaction's start, not its end.
    const began = Date.now();
    return writeBatch(connection, table, run, batch, totals).then((written) => {
      batch.rows.recycle();
      totals = written.totals;
      job = written.job;
      cancelled = written.job.cancelRequested;
      ctx.metrics.rows.inc({ outcome: 'processed' }, batch.processed);
      lease.renew();
      progress?.update(job, began);
    });
  };
  // Where the time goes, for the benchmark: waiting on the database vs. parsing and validating.
  const clock = { startedAt: Date.now(), waitingForDatabaseMs: 0 };
  const waitFor = async (write: Promise<void> | null) => {
    const since = Date.now();
    await write;
    clock.waitingForDatabaseMs += Date.now() - since;
  };
  // Two batches may wait on the database, committed one after the other: a batch the database takes longer
  // over than usual then does not stop the parsing of the next one.
  let queued = null as Promise<void> | null;
  const flush = async (batch: Batch) => {
    await waitFor(queued);
    queued = inFlight;
    inFlight = (inFlight ?? Promise.resolve()).then(() => commit(batch));
    inFlight.catch(() => undefined); // awaited at a later flush or at the end; this only keeps it from being "unhandled"
  };
  const waitForWrite = () => waitFor(inFlight);

  try {
    await prepareStaging(connection, table);
    const source = readCsv(file, { encoding: claimed.encoding, delimiter: toJob(claimed).delimiter, maxRowBytes: ctx.config.MAX_ROW_BYTES });
    let builder: BatchBuilder | null = null;
    let row = 0;
    reading: for await (const records of source.records) {
      for (const record of records) {
        if (!builder) {
          const started = await startBatches(ctx, job, template, record, source.utf8);
          if (!(started instanceof BatchBuilder)) return await finishFailed(ctx, job, started);
          builder = started;
          progress = new ProgressReporter(ctx.bus, log, job, { committedAt: lease.claimedAt, quietAfterMs: quietAfterMs(ctx) });
          continue;
        }
        if (++row <= resumeAfter) continue;
        builder.add(row, record);
        // Parsing runs in long synchronous bursts; yielding now and then lets database replies through, so the write in flight overlaps.
        if ((row & 255) === 0) await yieldToEventLoop();
        if (builder.size >= ctx.config.PROCESSOR_BATCH_ROWS) {
          await flush(builder.take(Math.min(source.bytesConsumed(), claimed.sizeBytes)));
          if (cancelled || lease.stopping()) break reading;
        }
      }
    }
    if (!builder) return await finishFailed(ctx, job, validationError('invalid_header', 'The file has no header line'));
    const released = !cancelled && lease.stopping();
    if (!cancelled && !released && builder.size > 0) await flush(builder.take(claimed.sizeBytes));
    await waitForWrite();
    inFlight = null;
    await progress?.stop();
    if (released) {
      await releaseJob(ctx.db, run.jobId, run.attempt);
      return 'released';
    }
    if (cancelled) return await finish(ctx, 'cancelled', await cancelJob(ctx.db, run.jobId, run.attempt), job);
    log.info(
      { totals, stages: { totalMs: Date.now() - clock.startedAt, waitingForDatabaseMs: clock.waitingForDatabaseMs }, batches: { straight: run.writes.straight, upserted: run.writes.upserted } },
      'import completed',
    );
    return await finish(ctx, 'completed', await completeJob(ctx.db, run.jobId, run.attempt), job);
  } catch (error) {
    await inFlight?.catch(() => undefined);
    await progress?.stop();
    if (error instanceof AppError && error.kind === 'validation')
      return finishFailed(ctx, job, validationError(error.code, error.message, error.row));
    throw error;
  } finally {
    await progress?.stop();
    file.destroy();
    connection.release();
  }
}

/** The header decides the column mapping, or fails the job before any row is written. */
async function startBatches(
  ctx: ProcessorContext,
  job: ImportJobRow,
  template: Template,
  header: string[],
  utf8: Utf8Checker | null,
): Promise<BatchBuilder | JobError> {
  if (header.length > ctx.config.MAX_COLUMNS)
    return validationError('too_many_columns', `The header has ${header.length} columns; at most ${ctx.config.MAX_COLUMNS} are accepted`);
  const match = matchHeader(template, header);
  // Reported even when the header fails: an unknown column is often the misspelt name of a missing one.
  if (match.ignored.length > 0) await recordIgnoredColumns(ctx.db, job.id, job.attempt, match.ignored);
  if (match.missingRequired.length > 0) {
    const required = template.columns.filter((c) => c.required).map((c) => c.name);
    const plural = match.missingRequired.length > 1 ? 's' : '';
    return validationError(
      'missing_columns',
      `The header lacks required column${plural} ${match.missingRequired.join(', ')} (template ${template.name} needs ${required.join(', ')})`,
    );
  }
  if (match.repeated.length > 0) return validationError('invalid_header', `The header names ${match.repeated.join(', ')} more than once`);
  return new BatchBuilder(template, job.onDuplicate, match.sourceIndex, header.length, { jobId: job.id, runId: job.runId! }, utf8);
}

async function finish(ctx: ProcessorContext, status: 'completed' | 'cancelled' | 'failed', row: ImportJobRow | undefined, last: ImportJobRow): Promise<ImportJobRow> {
  if (!row) return last; // another attempt took the job over; it will report the outcome
  ctx.metrics.jobs.inc({ status });
  await publishEvent(ctx.bus, status, toJob(row), { tenantId: row.tenantId });
  return row;
}

export async function finishFailed(ctx: ProcessorContext, job: ImportJobRow, error: JobError): Promise<ImportJobRow> {
  ctx.logger.info({ jobId: job.id, code: error.code, reason: error.message }, 'import failed');
  return finish(ctx, 'failed', await failJob(ctx.db, job.id, job.attempt, error), job);
}
