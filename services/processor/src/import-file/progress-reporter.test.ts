import { describe, expect, it } from 'vitest';
import { heartbeatDue } from './progress-reporter.js';

const QUIET_AFTER = 60_000;

describe('heartbeatDue', () => {
  it('repeats the latest state after a second without an event while commits keep coming', () => {
    expect(heartbeatDue(10_000, 9_000, 9_500, QUIET_AFTER)).toBe(true);
    expect(heartbeatDue(10_000, 9_500, 9_500, QUIET_AFTER)).toBe(false);
  });

  it('falls silent once nothing was committed for the quiet time, so a hung worker cannot outlive its job in events', () => {
    expect(heartbeatDue(100_000, 98_000, 100_000 - QUIET_AFTER, QUIET_AFTER)).toBe(false);
    expect(heartbeatDue(100_000, 98_000, 100_000 - QUIET_AFTER + 1, QUIET_AFTER)).toBe(true);
  });
});
