import { describe, expect, it } from 'vitest';
import { StraightCopyPolicy } from './straight-copy-policy.js';

/** Runs `batches` batches whose keys are all known (refused whenever tried); returns the batch numbers that tried. */
function triesOverKnownKeys(policy: StraightCopyPolicy, batches: number): number[] {
  const tried: number[] = [];
  for (let batch = 1; batch <= batches; batch++) {
    if (!policy.shouldTry()) {
      policy.record('skipped');
      continue;
    }
    tried.push(batch);
    policy.record('refused');
  }
  return tried;
}

describe('StraightCopyPolicy', () => {
  it('tries less and less often while batches keep meeting known keys, at least every 33rd batch', () => {
    const policy = new StraightCopyPolicy();
    expect(triesOverKnownKeys(policy, 200)).toEqual([1, 3, 6, 11, 20, 37, 70, 103, 136, 169]);
    expect(policy).toMatchObject({ straight: 0, upserted: 200 });
  });

  it('tries every batch again once one went straight in', () => {
    const policy = new StraightCopyPolicy();
    triesOverKnownKeys(policy, 40);
    while (!policy.shouldTry()) policy.record('skipped');
    policy.record('straight');
    expect([policy.shouldTry(), policy.shouldTry(), policy.shouldTry()]).toEqual([true, true, true]);
    policy.record('refused');
    expect([policy.shouldTry(), policy.shouldTry()]).toEqual([false, true]);
  });
});
