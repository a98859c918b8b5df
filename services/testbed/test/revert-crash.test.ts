import { describe, expect, it } from 'vitest';
import type { Job } from '@docprocessor/contracts';
import { BATCH_ROWS, useFaultStack } from './support/fault-stack.js';
import { eventually } from './support/wait.js';

const t = useFaultStack({ label: 'revert-crash', rows: 60_000 });

/** The whole contacts table, every column and the lineage, as one digest of PostgreSQL's text of each row. */
async function tableDigest(): Promise<{ n: number; md5: string }> {
  const [row] = await t.db.sql<[{ n: number; md5: string }]>`
    select count(*)::int as n, md5(coalesce(string_agg(c::text, E'\n' order by id), '')) as md5 from contacts c`;
  return row;
}

describe('a revert killed with SIGKILL', () => {
  it('mid-restore and mid-delete: another processor resumes it each time, and the table ends exactly as before the import', async () => {
    const first = await t.upload();
    expect(await t.db.waitForFinal(first.id)).toMatchObject({ status: 'completed' });
    // Half the rows gone and a third changed since: the second import of the same file inserts some, updates some.
    await t.db.sql`delete from contacts where id % 2 = 0`;
    await t.db.sql`update contacts set first_name = 'Before', amount = amount + 1 where id % 3 = 0`;
    const before = await tableDigest();
    const [{ changed } = { changed: -1 }] = await t.db.sql<{ changed: number }[]>`
      select count(*)::int as changed from contacts where first_name = 'Before'`;

    const second = await t.upload();
    expect(await t.db.waitForFinal(second.id)).toMatchObject({ status: 'completed' });
    expect((await tableDigest()).md5).not.toBe(before.md5);

    const asked = await t.api<Job>('POST', `/api/imports/${second.id}/revert`);
    expect(asked.status).toBe(202);
    const { toDelete, toRestore } = asked.body.revert!;
    // It rewrote (and imaged) only the rows changed since; the rest it left as they were, and a revert leaves them too.
    expect(toRestore).toBe(changed);
    expect(toDelete! + before.n).toBe((await t.db.job(second.id)).successRows);
    const total = toDelete! + toRestore!;

    // Restores come first, then deletes: a kill in each phase, right after a commit and then inside a transaction.
    const killedAt: number[] = [];
    for (const [share, delayMs] of [
      [0.25 * (toRestore! / total), 0],
      [(toRestore! + 0.5 * toDelete!) / total, 3],
    ] as const) {
      const kill = () => {
        for (const p of t.liveProcessors()) p.child.kill('SIGKILL');
      };
      const seen = await t.events.on(
        (e) => e.jobId === second.id && e.type === 'progress' && (e.job.revert?.done ?? 0) >= share * total,
        () => (delayMs ? setTimeout(kill, delayMs) : kill()),
      );
      await new Promise((resolve) => setTimeout(resolve, delayMs + 1));
      killedAt.push(seen.job.revert!.done);
      expect((await t.db.job(second.id)).status).toBe('completed');
      await t.killProcessors();
      await t.startProcessors(1);
    }

    const done = await eventually(
      async () => {
        const job = await t.db.job(second.id);
        return job.status === 'reverted' && job;
      },
      'the revert to end',
      120_000,
    );
    expect(done.revert).toMatchObject({ toDelete, toRestore, done: total, error: null });
    expect(await tableDigest()).toEqual(before);
    expect(await t.db.sql`select count(*)::int as n from import_before_images where job_id = ${second.id}`).toEqual([{ n: 0 }]);

    // Live: progress that never goes back, then one `reverted`.
    const events = await t.events.waitFor(second.id, (e) => e.type === 'reverted', 'the reverted event').then(() => t.events.of(second.id));
    const progress = events.filter((e) => e.type === 'progress' && e.job.revert).map((e) => e.job.revert!.done);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(total);
    expect(events.filter((e) => e.type === 'reverted')).toHaveLength(1);
    console.info(
      `revert-crash: ${toRestore} rows restored and ${toDelete} deleted in batches of ${BATCH_ROWS}, killed at ${killedAt.join(', ')} done`,
    );
  });
});
