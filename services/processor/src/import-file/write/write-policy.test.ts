import { describe, expect, it } from 'vitest';
import { WritePolicy } from './write-policy.js';

/** Runs `batches` batches whose keys are all known (refused whenever tried); returns the batch numbers that tried. */
function triesOverKnownKeys(policy: WritePolicy, batches: number): number[] {
  const tried: number[] = [];
  for (let batch = 1; batch <= batches; batch++) {
    if (!policy.shouldTryStraight()) {
      policy.recordStraight('skipped');
      continue;
    }
    tried.push(batch);
    policy.recordStraight('refused');
  }
  return tried;
}

/**
 * Runs `batches` upserted batches of 10,000 rows, `unchanged(batch)` of them equal to the stored ones; returns the
 * batch numbers that looked.
 */
function looks(policy: WritePolicy, batches: number, unchanged: (batch: number) => number): number[] {
  const looked: number[] = [];
  for (let batch = 1; batch <= batches; batch++) {
    if (!policy.shouldDropUnchanged()) continue;
    looked.push(batch);
    policy.recordUnchanged(unchanged(batch), 10_000);
  }
  return looked;
}

describe('WritePolicy', () => {
  it('tries COPY straight in less and less often while batches keep meeting known keys, at least every 33rd batch', () => {
    const policy = new WritePolicy();
    expect(triesOverKnownKeys(policy, 200)).toEqual([1, 3, 6, 11, 20, 37, 70, 103, 136, 169]);
    expect(policy).toMatchObject({ straight: 0, upserted: 200 });
  });

  it('tries every batch again once one went straight in', () => {
    const policy = new WritePolicy();
    triesOverKnownKeys(policy, 40);
    while (!policy.shouldTryStraight()) policy.recordStraight('skipped');
    policy.recordStraight('straight');
    expect([policy.shouldTryStraight(), policy.shouldTryStraight(), policy.shouldTryStraight()]).toEqual([true, true, true]);
    policy.recordStraight('refused');
    expect([policy.shouldTryStraight(), policy.shouldTryStraight()]).toEqual([false, true]);
  });

  it('takes out unchanged rows in every batch of a re-import, where a tenth or more are', () => {
    expect(looks(new WritePolicy(), 50, () => 1_000)).toHaveLength(50);
  });

  it('looks less and less often over batches of mostly new rows, and every batch again once unchanged ones are back', () => {
    // 999 of 10,000 unchanged up to batch 100, all of them from batch 101 on.
    const looked = looks(new WritePolicy(), 200, (batch) => (batch > 100 ? 10_000 : 999));
    const everyBatchFrom103 = Array.from({ length: 98 }, (_, i) => 103 + i);
    expect(looked).toEqual([1, 3, 6, 11, 20, 37, 70, ...everyBatchFrom103]);
  });
});
