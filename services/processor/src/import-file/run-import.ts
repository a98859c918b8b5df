import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { AppError, isTerminal, matchHeader, type JobError, type Template } from '@docprocessor/contracts';
import { publishChange } from '@docprocessor/bus';
import {
  completeJob,
  failJob,
  findJobRow,
  findTemplate,
  recordHeader,
  releaseJob,
  rememberMapping,
  stopJob,
  type Connection,
  type ImportJobRow,
  type JobChangeRow,
} from '@docprocessor/db';
import type { ProcessorContext } from '../context.js';
import { recordFinished } from '../metrics.js';
import { BatchWriter, type Lease } from './batch-writer.js';
import { readRecords } from './read/read-records.js';
import type { Utf8Checker } from './read/utf8-checker.js';
import { BatchBuilder } from './validate/batch-builder.js';
import { WritePolicy } from './write/write-policy.js';
import { describeTargetTable, type TargetTable } from './write/target-table.js';
import { mergeShadow } from './write/atomic-merge.js';
import { dropShadow, endShadowed, planOf, prepareShadow } from './write/shadow-table.js';
import { dropUnchangedKeys, prepareUnchangedKeys } from './write/unchanged-keys.js';
import { LeaseLostError, prepareStaging, type RunIdentity } from './write/write-batch.js';

export type { Lease } from './batch-writer.js';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

const validationError = (code: JobError['code'], message: string, row?: number): JobError => ({
  kind: 'validation',
  code,
  message,
  row: row ?? null,
});

/** How reading the file ended: every row is in a batch, or the run stops early at a batch boundary. */
type ReadOutcome = 'read' | 'cancelled' | 'released' | JobError;

/**
 * Runs one claimed job to a final state: parse, validate and write in batches, then complete. A file the
 * job cannot read fails it (kind validation); infrastructure and unexpected errors are thrown to the
 * consumer, which retries or dead-letters.
 */
export async function runImport(ctx: ProcessorContext, claim: JobChangeRow, lease: Lease): Promise<ImportJobRow | 'released'> {
  const claimed = claim.row;
  const log = ctx.logger.child({ jobId: claimed.id, attempt: claimed.attempt });
  const template = await findTemplate(ctx.db, claimed.tenantId, claimed.template);
  if (!template)
    return finishFailed(ctx, claimed, validationError('unknown_template', `The template ${claimed.template} no longer exists`));
  await publishChange(ctx.bus, claim);
  const file = await ctx.files.read(claimed.objectName);
  if (!file) return finishFailed(ctx, claimed, { kind: 'system', code: 'file_missing', message: 'The uploaded file is no longer stored' });

  const run: RunIdentity = {
    jobId: claimed.id,
    runId: claimed.runId!,
    attempt: claimed.attempt,
    onDuplicate: claimed.onDuplicate,
    maxStoredErrors: ctx.config.MAX_STORED_ERRORS,
    writes: new WritePolicy(),
    limits: { maxErrors: claimed.maxErrors, maxErrorRate: claimed.maxErrorRate },
    keepBeforeImages: !claimed.dryRun && !claimed.atomic,
  };
  // A dry run writes into a shadow of the table instead, and says at the end what the real run would do; an atomic
  // run too, and its shadow goes into the table in the transaction that completes the job.
  const shadowed = claimed.dryRun || claimed.atomic;
  // One connection for the whole job: its staging table is made once, and batches never wait for the pool.
  const connection = await ctx.db.sql.reserve();
  let writer: BatchWriter | null = null;
  try {
    // A run read from its first row starts its scratch tables afresh and can follow the keys it meets (EarlierKeys).
    const fresh = claimed.processedRows === 0;
    const target = await describeTargetTable(connection, template);
    const table = shadowed ? await prepareShadow(connection, target, claimed.id, fresh) : target;
    if (!shadowed && claimed.onDuplicate === 'error') run.unchangedKeys = await prepareUnchangedKeys(connection, target, claimed.id, fresh);
    writer = new BatchWriter(ctx, connection, table, run, lease, claimed);
    await prepareStaging(connection, table);
    // A resumed run never saw the keys of the rows before its checkpoint, so it looks up every row.
    const trackEarlierKeys = run.unchangedKeys !== undefined && fresh;
    const outcome = await readIntoBatches(ctx, template, table, file, writer, lease, log, trackEarlierKeys);
    if (typeof outcome === 'object') return await finishFailed(ctx, writer.job, outcome);
    await writer.drain();
    await writer.stopProgress();
    if (outcome === 'released') {
      await releaseJob(ctx.db, run.jobId, run.attempt);
      return 'released';
    }
    if (outcome === 'cancelled' || writer.cancelled)
      return await finish(ctx, await stopJob(ctx.db, run.jobId, { attempt: run.attempt }), writer.job);
    const plan = claimed.dryRun ? await planOf(connection, table, target) : null;
    log.info({ ...writer.summary(), plan }, 'import completed');
    if (!shadowed) return await finish(ctx, await completeJob(ctx.db, run.jobId, run.attempt), writer.job);
    const merge = claimed.dryRun ? async () => undefined : () => mergeShadow(connection, table, target, run);
    const complete = () => completeJob({ ...ctx.db, sql: connection }, run.jobId, run.attempt, plan);
    return await finish(ctx, await endShadowed(connection, claimed.id, merge, complete), writer.job);
  } catch (error) {
    await writer?.abandon();
    if (error instanceof AppError && error.kind === 'validation')
      return await finishFailed(ctx, writer?.job ?? claimed, validationError(error.code, error.message, error.row));
    throw error;
  } finally {
    await writer?.stopProgress();
    file.destroy();
    if (shadowed || run.unchangedKeys)
      await dropScratchIfEnded(ctx, connection, claimed, shadowed).catch((error: unknown) =>
        log.warn({ err: error }, 'scratch table (shadow, unchanged keys) not dropped'),
      );
    connection.release();
  }
}

/**
 * A run that ended drops its scratch tables: a dry or atomic run's shadow (when it failed or stopped; a completed one
 * dropped it with its completion), a run's unchanged keys. One that may still be resumed (released, retried) keeps them.
 */
async function dropScratchIfEnded(ctx: ProcessorContext, connection: Connection, claimed: ImportJobRow, shadowed: boolean): Promise<void> {
  const job = await findJobRow(ctx.db.db, claimed.id, { tenantId: null });
  if (!job || !isTerminal(job.status) || job.attempt !== claimed.attempt) return;
  if (shadowed) await dropShadow(connection, claimed.id);
  else await dropUnchangedKeys(connection, claimed.id);
}

/** Reads the file after the checkpoint into batches for the writer, stopping early for a cancel or a shutdown. */
async function readIntoBatches(
  ctx: ProcessorContext,
  template: Template,
  table: TargetTable,
  file: Readable,
  writer: BatchWriter,
  lease: Lease,
  log: Logger,
  trackEarlierKeys: boolean,
): Promise<ReadOutcome> {
  const claimed = writer.job;
  const source = readRecords(file, {
    format: claimed.format,
    encoding: claimed.encoding,
    delimiter: claimed.delimiter,
    sheet: claimed.sheet,
    maxRowBytes: ctx.config.MAX_ROW_BYTES,
  });
  const resumeAfter = claimed.processedRows;
  let builder: BatchBuilder | null = null;
  let row = 0;
  for await (const records of source.records) {
    for (const record of records) {
      if (!builder) {
        const started = await startBatches(ctx, claimed, template, table, record, source.utf8, trackEarlierKeys);
        if (!(started instanceof BatchBuilder)) return started;
        builder = started;
        writer.startProgress(log);
        continue;
      }
      if (++row <= resumeAfter) continue;
      builder.add(row, record);
      // Parsing runs in long synchronous bursts; yielding now and then lets database replies through, so the write in flight overlaps.
      if ((row & 255) === 0) await yieldToEventLoop();
      if (builder.size >= ctx.config.PROCESSOR_BATCH_ROWS) {
        await writer.write(builder.take(Math.min(source.bytesConsumed(), claimed.sizeBytes)));
        if (writer.cancelled) return 'cancelled';
        if (lease.stopping()) return 'released';
      }
    }
  }
  if (!builder) return validationError('invalid_header', 'The file has no header line');
  if (writer.cancelled) return 'cancelled';
  if (lease.stopping()) return 'released';
  if (builder.size > 0) await writer.write(builder.take(claimed.sizeBytes));
  return 'read';
}

/** The header decides the column mapping, or fails the job before any row is written. */
async function startBatches(
  ctx: ProcessorContext,
  job: ImportJobRow,
  template: Template,
  table: TargetTable,
  header: string[],
  utf8: Utf8Checker | null,
  trackEarlierKeys: boolean,
): Promise<BatchBuilder | JobError> {
  if (header.length > ctx.config.MAX_COLUMNS)
    return validationError('too_many_columns', `The header has ${header.length} columns; at most ${ctx.config.MAX_COLUMNS} are accepted`);
  const match = matchHeader(template, header, { mapping: job.mapping });
  // Reported even when the header fails: an unknown column is often the misspelt name of a missing one.
  await recordHeader(ctx.db, job.id, job.attempt, header, match.ignored);
  if (match.missingRequired.length > 0) {
    const required = template.columns.filter((c) => c.required).map((c) => c.name);
    const plural = match.missingRequired.length > 1 ? 's' : '';
    return validationError(
      'missing_columns',
      `The header lacks required column${plural} ${match.missingRequired.join(', ')} ` +
        `(template ${template.name} needs ${required.join(', ')})`,
    );
  }
  if (match.repeated.length > 0) return validationError('invalid_header', `The header names ${match.repeated.join(', ')} more than once`);
  // A mapping the uploader gave is one they confirmed: the next preview of a file with this header proposes it.
  if (job.mapping) await rememberMapping(ctx.db, job.tenantId, template.name, header, job.mapping);
  const lineage = { jobId: job.id, runId: job.runId! };
  const tracked = trackEarlierKeys ? { fileBytes: job.sizeBytes } : null;
  return new BatchBuilder(template, table, job.onDuplicate, match.sourceIndex, header.length, lineage, utf8, tracked);
}

/**
 * Announces a final transition. None means the attempt no longer holds the job: a newer attempt took it over (this
 * one fell silent, say while NATS was away) and holds its work item, which only that attempt may settle. Acking it
 * here would leave the job to no one once that attempt fails and asks for a retry.
 */
async function finish(ctx: ProcessorContext, change: JobChangeRow | undefined, last: ImportJobRow): Promise<ImportJobRow> {
  if (!change) throw new LeaseLostError(`job ${last.id} is no longer held by attempt ${last.attempt}`);
  recordFinished(ctx.metrics, change.row);
  await publishChange(ctx.bus, change);
  return change.row;
}

export async function finishFailed(ctx: ProcessorContext, job: ImportJobRow, error: JobError): Promise<ImportJobRow> {
  ctx.logger.info({ jobId: job.id, code: error.code, reason: error.message }, 'import failed');
  return finish(ctx, await failJob(ctx.db, job.id, job.attempt, error), job);
}
