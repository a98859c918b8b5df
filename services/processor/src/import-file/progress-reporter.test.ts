import { describe, expect, it } from 'vitest';
import { sendsOnTick } from './progress-reporter.js';

const QUIET_AFTER = 15_000;

describe('sendsOnTick', () => {
  it('sends a committed state not yet out once 100 ms have passed since the last event', () => {
    expect(sendsOnTick(10_000, { lastSentAt: 9_950, lastCommitAt: 9_960, latestSent: false }, QUIET_AFTER)).toBe(false);
    expect(sendsOnTick(10_000, { lastSentAt: 9_900, lastCommitAt: 9_960, latestSent: false }, QUIET_AFTER)).toBe(true);
  });

  it('sends such a state even when the quiet time is shorter than a second', () => {
    expect(sendsOnTick(10_000, { lastSentAt: 9_850, lastCommitAt: 9_000, latestSent: false }, 500)).toBe(true);
  });

  it('repeats the latest state after a second without an event while commits keep coming', () => {
    expect(sendsOnTick(10_000, { lastSentAt: 9_000, lastCommitAt: 9_500, latestSent: true }, QUIET_AFTER)).toBe(true);
    expect(sendsOnTick(10_000, { lastSentAt: 9_500, lastCommitAt: 9_500, latestSent: true }, QUIET_AFTER)).toBe(false);
  });

  it('falls silent once nothing was committed for the quiet time, so a hung worker cannot outlive its job in events', () => {
    expect(sendsOnTick(100_000, { lastSentAt: 98_000, lastCommitAt: 100_000 - QUIET_AFTER, latestSent: true }, QUIET_AFTER)).toBe(false);
    expect(sendsOnTick(100_000, { lastSentAt: 98_000, lastCommitAt: 100_000 - QUIET_AFTER + 1, latestSent: true }, QUIET_AFTER)).toBe(true);
  });
});
