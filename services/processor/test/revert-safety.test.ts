import { describe, expect, it } from 'vitest';
import { publishRepair } from '@docprocessor/bus';
import { planRevert, requestRevert } from '@docprocessor/db';
import { BeforeImageSweep } from '../src/repair/before-image-sweep.js';
import { revertImport } from '../src/repair/revert-import.js';
import { restoreBatch, deleteBatch, revertTargetOf } from '../src/repair/revert-batches.js';
import { describeTargetTable } from '../src/import-file/write/target-table.js';
import { contact, csvOf, jobRow } from './helper.js';
import { contacts, useRevertHarness } from './revert-harness.js';

const r = useRevertHarness();
const { templateOf, snapshot, imported, requestAndQueue, revertEnded, reverted, imagesOf } = r;

describe('crash safety', () => {
  it('a revert stopped after some batches (restore or delete) resumes and ends exactly right', async () => {
    await imported(contacts(2000, 10));
    const before = await snapshot('contacts', 'id');
    const job = await imported(csvOf(...Array.from({ length: 10 }, (_, i) => contact(2005 + i, { first: 'Di' }))));
    const requested = await requestRevert(r.h.ctx.db, job.id, 'default', await planRevert(r.h.ctx.db.sql, job, 'contacts'));
    expect(requested!.revert).toMatchObject({ toDelete: 5, toRestore: 5 });
    const target = revertTargetOf(await templateOf('contacts'), await describeTargetTable(r.h.ctx.db.sql, await templateOf('contacts')));
    // What a worker killed mid-way left committed: one restore batch, then (by another) every restore and one delete batch.
    await r.h.ctx.db.sql.begin((sql) => restoreBatch(sql, job.id, target, 0, 4));
    await r.h.ctx.db.sql.begin((sql) => restoreBatch(sql, job.id, target, 0, 4));
    await r.h.ctx.db.sql.begin((sql) => deleteBatch(sql, job.id, target, 4));
    expect((await jobRow(r.h, job.id)).revert).toMatchObject({ done: 9 });

    await publishRepair(r.h.ctx.bus, { kind: 'revert', jobId: job.id, fixId: null, at: requested!.revert!.requestedAt }, 'resume');
    const done = await revertEnded(job.id);
    expect(done).toMatchObject({ status: 'reverted', revert: { done: 10, error: null } });
    expect(await snapshot('contacts', 'id')).toEqual(before);
    // Delivered again after the end: it only says `reverted` again, and the table stays.
    await revertImport(r.h.ctx, { kind: 'revert', jobId: job.id, fixId: null, at: '' }, { renew: () => undefined, lastDelivery: false });
    expect(await snapshot('contacts', 'id')).toEqual(before);
  });
});

describe('refusals', () => {
  it('a later import changed some of the same rows: the processor refuses, records why, and changes nothing', async () => {
    const first = await imported(contacts(3000, 6));
    const later = await imported(contacts(3004, 4, { first: 'Eve' }));
    const plan = await planRevert(r.h.ctx.db.sql, first, 'contacts');
    expect(plan.conflicts).toEqual([{ jobId: later.id, rows: 2 }]);
    const before = await snapshot('contacts', 'id');
    // Asked for as if the later import arrived between the request and the run: the processor checks again.
    await requestAndQueue(first);
    const refused = await revertEnded(first.id);
    expect(refused.status).toBe('completed');
    expect(refused.revert!.error).toEqual({
      code: 'revert_conflict',
      message:
        `2 rows this import wrote were changed by a later import since: ${later.id} (2 rows). ` +
        'Revert those first (newest first); nothing was changed',
    });
    expect(await snapshot('contacts', 'id')).toEqual(before);

    // Reverting the later one first clears the way.
    await reverted(later);
    expect((await planRevert(r.h.ctx.db.sql, await jobRow(r.h, first.id), 'contacts')).conflicts).toEqual([]);
    await reverted(await jobRow(r.h, first.id));
    expect(await r.h.ctx.db.sql`select id from contacts where id between 3000 and 3009`).toEqual([]);
  });

  it('retention: old images are dropped, their jobs marked expired (not reverted half-way), a revert under way keeps its own', async () => {
    await imported(contacts(4000, 4));
    const old = await imported(contacts(4002, 4, { first: 'Old' }));
    const insertOnly = await imported(contacts(4100, 2));
    const underway = await imported(contacts(4000, 1, { first: 'Wip' }));
    const fresh = await imported(contacts(4200, 2, { first: 'New' }));
    const aged = [old.id, insertOnly.id, underway.id];
    await r.h.ctx.db.sql`update import_before_images set taken_at = now() - interval '8 days' where job_id = any(${aged})`;
    await r.h.ctx.db.sql`update import_jobs set finished_at = now() - interval '8 days' where id = any(${aged})`;
    await requestRevert(r.h.ctx.db, underway.id, 'default', { toDelete: 0, toRestore: 1 });

    const sweep = await new BeforeImageSweep(r.h.ctx).sweep();
    expect(sweep.ran).toBe(true);
    expect(sweep.droppedImages).toBe(2);
    expect(sweep.expiredJobs.sort()).toEqual([old.id, insertOnly.id].sort());
    expect(await imagesOf(old.id)).toBe(0);
    expect(await imagesOf(underway.id)).toBe(1);
    expect(await planRevert(r.h.ctx.db.sql, await jobRow(r.h, old.id), 'contacts')).toMatchObject({ expired: true });
    expect(await planRevert(r.h.ctx.db.sql, await jobRow(r.h, insertOnly.id), 'contacts')).toMatchObject({ expired: true, toDelete: 2 });
    expect(await planRevert(r.h.ctx.db.sql, await jobRow(r.h, fresh.id), 'contacts')).toMatchObject({ expired: false });
    expect(await requestRevert(r.h.ctx.db, old.id, 'default', { toDelete: 2, toRestore: 2 })).toBeUndefined();

    // A request that got in before the mark (it raced the sweep) is refused by the processor, nothing changed.
    const before = await snapshot('contacts', 'id');
    const raced = JSON.stringify({ requestedAt: 'x', toDelete: 2, toRestore: 2, done: 0 });
    await r.h.ctx.db.sql`update import_jobs set revert = ${raced}::jsonb where id = ${old.id}`;
    await revertImport(r.h.ctx, { kind: 'revert', jobId: old.id, fixId: null, at: 'x' }, { renew: () => undefined, lastDelivery: false });
    expect((await jobRow(r.h, old.id)).revert!.error).toMatchObject({ code: 'revert_expired' });
    expect(await snapshot('contacts', 'id')).toEqual(before);
  });
});
