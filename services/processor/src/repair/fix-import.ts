import { AppError, matchFixHeader, matchHeader, readFixLine, type FixLayout, type Template } from '@docprocessor/contracts';
import { endJobFix, findTemplate, startJobFix, type ImportJobRow, type StoredFix } from '@docprocessor/db';
import type { ProcessorContext } from '../context.js';
import { readRecords } from '../import-file/read/read-records.js';
import { BatchBuilder } from '../import-file/validate/batch-builder.js';
import { WritePolicy } from '../import-file/write/write-policy.js';
import { describeTargetTable, type TargetTable } from '../import-file/write/target-table.js';
import { prepareStaging, type RunIdentity } from '../import-file/write/write-batch.js';
import type { RepairHandler, RepairLease } from '../work/repair-consumer.js';
import { commitFixBatch } from './fix-batch.js';
import { FixProgress } from './fix-progress.js';

/**
 * Imports a correction of a job's failed rows into the same job: read as its file was (the fix's own format, encoding
 * and delimiter), validated with the job's template and mapping, written with its duplicate policy and lineage, in
 * batches that each move the counts. A fix that cannot be read ends `failed` with the reason; an infrastructure
 * failure is thrown to be retried, and resumes after the last committed batch.
 */
export const fixImport: RepairHandler = async (ctx, item, lease) => {
  const log = ctx.logger.child({ jobId: item.jobId, fixId: item.fixId });
  if (!item.fixId) return log.error('a fix work item without a fix id; dropped');
  const started = await startJobFix(ctx.db, item.jobId, item.fixId);
  const fix = started?.fixes.find((f) => f.id === item.fixId);
  if (!started || !fix) return log.info('the fix is not pending or processing any more; nothing to do');
  const progress = new FixProgress(ctx, log);
  progress.publish(started);
  try {
    progress.publish(await runFix(ctx, started, fix, lease, progress));
    log.info({ rows: fix.rows }, 'fix completed');
    await ctx.files.delete(fix.objectName).catch((error: unknown) => log.warn({ err: error }, 'fix file not deleted'));
  } catch (error) {
    const final = (error instanceof AppError && error.kind === 'validation') || lease.lastDelivery;
    if (!final) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    log.warn({ err: error }, 'fix failed');
    const ended = await endJobFix(ctx.db, item.jobId, item.fixId, { status: 'failed', error: reason });
    if (ended) progress.publish(ended);
  } finally {
    await progress.stop();
  }
};

async function runFix(
  ctx: ProcessorContext,
  job: ImportJobRow,
  fix: StoredFix,
  lease: RepairLease,
  progress: FixProgress,
): Promise<ImportJobRow> {
  const template = await findTemplate(ctx.db, job.tenantId, job.template);
  if (!template) throw new AppError('unknown_template', `The template ${job.template} no longer exists`);
  if (!job.fileHeader) throw new AppError('invalid_fix', 'The import read no header, so it has no failed rows to fix');
  const file = await ctx.files.read(fix.objectName);
  if (!file) throw new AppError('invalid_fix', 'The fix file is no longer stored; upload it again');
  const connection = await ctx.db.sql.reserve();
  try {
    const table = await describeTargetTable(connection, template);
    await prepareStaging(connection, table);
    const source = readRecords(file, {
      format: fix.format ?? 'csv',
      encoding: fix.encoding ?? 'utf-8',
      delimiter: fix.delimiter ?? ',',
      sheet: null,
      maxRowBytes: ctx.config.MAX_ROW_BYTES,
    });
    const writer = new FixWriter(ctx, connection, table, job, fix, lease, progress);
    const newBuilder = batchesFor(template, table, job, job.fileHeader, source.utf8);
    let layout: FixLayout | undefined;
    let line = 1;
    for await (const records of source.records) {
      for (const record of records) {
        if (!layout) {
          const matched = matchFixHeader(job.fileHeader, record);
          if (typeof matched === 'string') throw new AppError('invalid_fix', matched);
          layout = matched;
          continue;
        }
        const read = readFixLine(layout, record, ++line);
        if (typeof read === 'string') throw new AppError('invalid_fix', read);
        if (read) await writer.add(read.row, read.cells, newBuilder);
      }
    }
    if (!layout) throw new AppError('invalid_fix', 'The fix file is empty: it needs the header of errors.csv');
    await writer.flush();
    const ended = await endJobFix(ctx.db, job.id, fix.id, { status: 'completed' });
    return ended ?? writer.job;
  } finally {
    file.destroy();
    connection.release();
  }
}

const batchesFor = (
  template: Template,
  table: TargetTable,
  job: ImportJobRow,
  fileHeader: string[],
  utf8: ConstructorParameters<typeof BatchBuilder>[6],
) => {
  const match = matchHeader(template, fileHeader, { mapping: job.mapping });
  return () =>
    new BatchBuilder(template, table, job.onDuplicate, match.sourceIndex, fileHeader.length, { jobId: job.id, runId: job.runId! }, utf8);
};

/** Collects a fix's rows into batches past its checkpoint and commits each; remembers the job as the last commit left it. */
class FixWriter {
  job: ImportJobRow;
  private totals: { rows: number; fixed: number; stillFailing: number };
  private readonly run: RunIdentity;
  private builder: BatchBuilder | null = null;
  private cells = new Map<number, readonly string[]>();
  private readonly rowsSeen = new Set<number>();
  private seen = 0;

  constructor(
    private readonly ctx: ProcessorContext,
    private readonly connection: Parameters<typeof commitFixBatch>[0],
    private readonly table: TargetTable,
    job: ImportJobRow,
    private readonly fix: StoredFix,
    private readonly lease: RepairLease,
    private readonly progress: FixProgress,
  ) {
    this.job = job;
    this.totals = { rows: fix.rows, fixed: fix.fixed, stillFailing: fix.stillFailing };
    this.run = {
      jobId: job.id,
      runId: job.runId!,
      attempt: job.attempt,
      onDuplicate: job.onDuplicate,
      maxStoredErrors: Number.MAX_SAFE_INTEGER,
      writes: new WritePolicy(),
      limits: { maxErrors: null, maxErrorRate: null },
      keepBeforeImages: true,
    };
  }

  async add(row: number, cells: string[], newBuilder: () => BatchBuilder): Promise<void> {
    // Lines a redelivered fix committed before are skipped: the checkpoint counts them.
    if (++this.seen <= this.fix.rows) return;
    if (this.rowsSeen.has(row)) throw new AppError('invalid_fix', `Row ${row} is corrected twice in the fix; keep one line for it`);
    this.builder ??= newBuilder();
    this.builder.add(row, cells);
    this.cells.set(row, cells);
    this.rowsSeen.add(row);
    if (this.builder.size >= this.ctx.config.PROCESSOR_BATCH_ROWS) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.builder || this.builder.size === 0) return;
    const batch = this.builder.take(0);
    const committed = await commitFixBatch(this.connection, this.table, this.run, this.fix.id, this.totals, { batch, cells: this.cells });
    batch.rows.recycle();
    this.cells = new Map();
    this.job = committed.job;
    this.totals = committed.totals;
    this.lease.renew();
    this.progress.publish(committed.job);
  }
}
