import { describe, expect, it } from 'vitest';
import { makeJob } from '../testing/factories';
import { canFix, canRevert, describeRevertPlan, isReverting, revertProgress } from './repair';

const asked = { requestedAt: '2025-01-01T10:00:00.000Z', toDelete: 1200, toRestore: 300, done: 450 };

describe('repair predicates', () => {
  it('offers revert on final real imports only, once', () => {
    expect(['completed', 'failed', 'cancelled'].map((status) => canRevert(makeJob({ status: status as 'completed' })))).toEqual([
      true,
      true,
      true,
    ]);
    expect(canRevert(makeJob({ status: 'processing' }))).toBe(false);
    expect(canRevert(makeJob({ status: 'reverted', revert: { ...asked, done: 1500 } }))).toBe(false);
    expect(canRevert(makeJob({ status: 'completed', dryRun: true }))).toBe(false);
    expect(canRevert(makeJob({ status: 'completed', revert: asked }))).toBe(false);
    expect(isReverting(makeJob({ status: 'completed', revert: asked }))).toBe(true);
    expect(isReverting(makeJob({ status: 'reverted', revert: asked }))).toBe(false);
  });

  it('offers fixes on a completed real import with failed rows', () => {
    expect(canFix(makeJob({ status: 'completed', failedRows: 2 }))).toBe(true);
    expect(canFix(makeJob({ status: 'completed', failedRows: 0 }))).toBe(false);
    expect(canFix(makeJob({ status: 'failed', failedRows: 2 }))).toBe(false);
    expect(canFix(makeJob({ status: 'completed', failedRows: 2, dryRun: true }))).toBe(false);
    expect(canFix(makeJob({ status: 'completed', failedRows: 2, revert: asked }))).toBe(false);
  });
});

describe('describeRevertPlan', () => {
  it('says what a revert deletes and restores', () => {
    const plan = { toDelete: 1200, toRestore: 300, conflicts: [], expired: false };
    expect(describeRevertPlan(plan)).toBe('Deletes 1,200 rows this import added and restores 300 rows it changed.');
    expect(describeRevertPlan({ ...plan, toRestore: 0, toDelete: 1 })).toBe('Deletes 1 row this import added.');
    expect(describeRevertPlan({ ...plan, toDelete: 0 })).toBe('Restores 300 rows this import changed to their earlier values.');
    expect(describeRevertPlan({ ...plan, toDelete: 0, toRestore: 0 })).toContain('no rows');
  });

  it('measures progress against both counts, once they are known', () => {
    expect(revertProgress(makeJob({ revert: asked }))).toEqual({ done: 450, total: 1500 });
    expect(revertProgress(makeJob({ revert: { ...asked, toDelete: null } }))).toBeNull();
    expect(revertProgress(makeJob())).toBeNull();
  });
});
