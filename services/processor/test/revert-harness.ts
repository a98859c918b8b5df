import { afterAll, beforeAll, expect } from 'vitest';
import type { Template } from '@docprocessor/contracts';
import { publishRepair } from '@docprocessor/bus';
import { findTemplate, parseTableName, planRevert, qualified, requestRevert, type ImportJobRow } from '@docprocessor/db';
import { revertImport } from '../src/repair/revert-import.js';
import { RepairConsumer } from '../src/work/repair-consumer.js';
import { build, contact, createJob, csvOf, jobRow, waitFor, waitForFinal, type Harness } from './helper.js';

/** `count` contacts from id `first` on, as a CSV. */
export const contacts = (first: number, count: number, overrides: Parameters<typeof contact>[1] = {}) =>
  csvOf(...Array.from({ length: count }, (_, i) => contact(first + i, overrides)));

/**
 * A processor with its repair consumer running (batches of 4 rows, so reverts take several), and what the revert
 * tests ask of it: imports, reverts requested as ingest requests them, and the table as PostgreSQL prints it.
 */
export function useRevertHarness() {
  let h!: Harness;
  let repairs!: RepairConsumer;
  beforeAll(async () => {
    h = await build({ PROCESSOR_BATCH_ROWS: '4' });
    repairs = new RepairConsumer(h.ctx, { revert: revertImport, fix: async () => undefined });
    await repairs.start();
  });
  afterAll(async () => {
    await repairs.stop();
    await h.close();
  });

  const templateOf = async (name: string): Promise<Template> => (await findTemplate(h.ctx.db, 'default', name))!;
  const tableOf = async (name: string) => qualified(parseTableName((await templateOf(name)).table, 'public'));

  /** Every row of a table, every column and the lineage, as PostgreSQL prints it: what "byte for byte" compares. */
  const snapshot = async (table = 'contacts', orderBy = 'id') =>
    (await h.ctx.db.sql.unsafe<{ row: string }[]>(`select t::text as row from ${table} t order by ${orderBy}`)).map((r) => r.row);

  /** Every column of every row as text, keyed by `key`: for checking column by column. */
  const columnsOf = async (table: string, key: string) => {
    const rows = await h.ctx.db.sql.unsafe<Record<string, unknown>[]>(`select (to_jsonb(t)) as row from ${table} t order by ${key}`);
    return new Map(rows.map(({ row }) => [String((row as Record<string, unknown>)[key]), row as Record<string, unknown>]));
  };

  const imported = async (csv: string, options: Parameters<typeof createJob>[2] = {}) => {
    const job = await createJob(h, csv, options);
    return waitForFinal(h, job.id);
  };

  /** What ingest does for POST /api/imports/:id/revert once its checks pass: record the request, queue it. */
  async function requestAndQueue(job: ImportJobRow, template = 'contacts'): Promise<ImportJobRow> {
    const plan = await planRevert(h.ctx.db.sql, await jobRow(h, job.id), await tableOf(template));
    const requested = await requestRevert(h.ctx.db, job.id, 'default', plan);
    expect(requested).toBeDefined();
    await publishRepair(
      h.ctx.bus,
      { kind: 'revert', jobId: job.id, fixId: null, at: requested!.revert!.requestedAt },
      requested!.revert!.requestedAt,
    );
    return requested!;
  }

  const revertEnded = (jobId: string) =>
    waitFor(async () => {
      const row = await jobRow(h, jobId);
      return (row.status === 'reverted' || Boolean(row.revert?.error)) && row;
    }, `the revert of ${jobId} to end`);

  async function reverted(job: ImportJobRow, template = 'contacts'): Promise<ImportJobRow> {
    await requestAndQueue(job, template);
    const row = await revertEnded(job.id);
    expect(row.revert?.error ?? null).toBeNull();
    expect(row.status).toBe('reverted');
    return row;
  }

  const imagesOf = async (jobId: string) =>
    (await h.ctx.db.sql`select coalesce(sum(row_count), 0)::int as n from import_before_images where job_id = ${jobId}`)[0]!.n as number;

  return {
    /** The harness, once beforeAll has built it. */
    get h(): Harness {
      return h;
    },
    templateOf,
    tableOf,
    snapshot,
    columnsOf,
    imported,
    requestAndQueue,
    revertEnded,
    reverted,
    imagesOf,
  };
}
