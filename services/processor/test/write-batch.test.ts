import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactsTemplate, type OnDuplicate } from '@docprocessor/contracts';
import { claimJob } from '../src/work/claim.js';
import { encodeRows } from '../src/import-file/write/copy-binary.js';
import { WritePolicy } from '../src/import-file/write/write-policy.js';
import { managedTargetTable } from '../src/import-file/write/target-table.js';
import { prepareStaging, writeBatch, type Batch, type RunIdentity, type Totals } from '../src/import-file/write/write-batch.js';
import { managedTypeNames } from '@docprocessor/db';
import { build, contact, createJob, csvOf, type Harness } from './helper.js';

let h: Harness;
const table = managedTargetTable(contactsTemplate);
const NONE: Totals = { processed: 0, success: 0, failed: 0, errors: 0 };

beforeAll(async () => {
  h = await build({}, { start: false });
});
afterAll(() => h.close());

async function claimedRun(onDuplicate: OnDuplicate): Promise<RunIdentity> {
  const job = await createJob(h, csvOf(contact(1)), { publish: false, onDuplicate });
  const claimed = await claimJob(h.ctx.db, job.id, 30_000);
  if (claimed.kind !== 'run') throw new Error('not claimed');
  return {
    jobId: job.id,
    runId: claimed.change.row.runId!,
    attempt: claimed.change.row.attempt,
    onDuplicate,
    maxStoredErrors: 100,
    writes: new WritePolicy(),
    limits: { maxErrors: null, maxErrorRate: null },
    keepBeforeImages: true,
  };
}

const batchOf = (run: RunIdentity, rows: RowSpec[]): Batch => ({
  rows: encodeRows(
    managedTypeNames(contactsTemplate.columns),
    run,
    rows.map(([row, id, firstName]) => ({
      values: [String(id), `user${id}@example.com`, firstName, 'Lovelace', null, 'GB', '2024-02-29', '12.50', 't', null],
      sourceRow: row,
    })),
  ),
  errors: [],
  failedRows: [],
  processed: rows.length,
  failed: 0,
  bytesProcessed: 1,
});

type RowSpec = [row: number, id: number, firstName: string];

async function write(run: RunIdentity, batches: RowSpec[][]): Promise<Totals> {
  const connection = await h.ctx.db.sql.reserve();
  try {
    await prepareStaging(connection, table);
    let totals = NONE;
    for (const rows of batches) totals = (await writeBatch(connection, table, run, batchOf(run, rows), totals)).totals;
    return totals;
  } finally {
    connection.release();
  }
}

const firstNames = (ids: number[]) =>
  h.ctx.db.sql<{ id: string; first_name: string }[]>`select id::text, first_name from contacts where id = any(${ids}) order by id`;

describe('writing batches', () => {
  it('copies new keys straight into the table, batch after batch', async () => {
    const run = await claimedRun('error');
    const totals = await write(run, [
      [
        [1, 9001, 'A'],
        [2, 9002, 'B'],
      ],
      [[3, 9003, 'C']],
    ]);
    expect(run.writes).toMatchObject({ straight: 2, upserted: 0 });
    expect(totals).toEqual({ processed: 3, success: 3, failed: 0, errors: 0 });
    expect(await firstNames([9001, 9002, 9003])).toEqual([
      { id: '9001', first_name: 'A' },
      { id: '9002', first_name: 'B' },
      { id: '9003', first_name: 'C' },
    ]);
  });

  it('upserts a batch that meets a key already in the table, leaving nothing of the failed straight copy', async () => {
    await write(await claimedRun('error'), [[[1, 9102, 'Old']]]);
    const run = await claimedRun('error');
    const totals = await write(run, [
      [
        [1, 9101, 'New'],
        [2, 9102, 'Updated'],
        [3, 9103, 'New'],
      ],
      [[4, 9104, 'Later']],
    ]);
    // The batch after a refused one does not try again: both went through staging.
    expect(run.writes).toMatchObject({ straight: 0, upserted: 2 });
    expect(totals).toEqual({ processed: 4, success: 4, failed: 0, errors: 0 });
    expect(await firstNames([9101, 9102, 9103, 9104])).toEqual([
      { id: '9101', first_name: 'New' },
      { id: '9102', first_name: 'Updated' },
      { id: '9103', first_name: 'New' },
      { id: '9104', first_name: 'Later' },
    ]);
    const [{ n } = { n: -1 }] = await h.ctx.db.sql<
      { n: number }[]
    >`select count(*)::int as n from contacts where id between 9101 and 9104 and import_job_id = ${run.jobId}`;
    expect(n).toBe(4);
  });

  it('goes back to COPY straight in when a file of known keys goes on with new ones (an export that grew)', async () => {
    await write(await claimedRun('error'), [
      [
        [1, 9401, 'Old'],
        [2, 9402, 'Old'],
      ],
    ]);
    const run = await claimedRun('error');
    const totals = await write(run, [
      [[1, 9401, 'Known']],
      [[2, 9402, 'Known']],
      [[3, 9403, 'New']],
      [[4, 9404, 'New']],
      [[5, 9405, 'New']],
    ]);
    // Batch 1 meets a known key and is upserted; batch 2 waits its turn (upserted too);
    // batch 3 tries again, and it and the rest go straight in.
    expect(run.writes).toMatchObject({ straight: 3, upserted: 2 });
    expect(totals).toEqual({ processed: 5, success: 5, failed: 0, errors: 0 });
    expect((await firstNames([9401, 9402, 9403, 9404, 9405])).map((r) => r.first_name)).toEqual(['Known', 'Known', 'New', 'New', 'New']);
  });

  it('finds a key repeated in a later batch a duplicate (onDuplicate error), or keeps the last (onDuplicate last)', async () => {
    const strict = await claimedRun('error');
    expect(await write(strict, [[[1, 9201, 'First']], [[2, 9201, 'Again']]])).toEqual({ processed: 2, success: 1, failed: 1, errors: 1 });
    expect(await h.ctx.db.sql`select row, code from import_row_errors where job_id = ${strict.jobId}`).toEqual([
      { row: 2, code: 'duplicate_key' },
    ]);
    expect(await firstNames([9201])).toEqual([{ id: '9201', first_name: 'First' }]);

    const last = await claimedRun('last');
    expect(await write(last, [[[1, 9301, 'First']], [[2, 9301, 'Again']]])).toEqual({ processed: 2, success: 2, failed: 0, errors: 0 });
    expect(await firstNames([9301])).toEqual([{ id: '9301', first_name: 'Again' }]);
  });
});
