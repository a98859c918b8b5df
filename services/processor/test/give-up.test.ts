import { describe, expect, it } from 'vitest';
import { loadConfig, retryDelayMs } from '../src/config.js';

describe('giving up', () => {
  it('backs off exponentially between deliveries, up to a ceiling', () => {
    const config = loadConfig({ RETRY_BACKOFF_MS: '1000', RETRY_BACKOFF_MAX_MS: '5000' });
    expect([1, 2, 3, 4, 5].map((delivery) => retryDelayMs(config, delivery))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('refuses a watchdog that would act before redelivery had its chance', () => {
    expect(() => loadConfig({ ACK_WAIT_MS: '30000', WATCHDOG_STALL_MS: '20000' })).toThrow(/WATCHDOG_STALL_MS/);
    expect(loadConfig({})).toMatchObject({
      WATCHDOG_STALL_MS: 120_000,
      WATCHDOG_PENDING_MS: 600_000,
      WATCHDOG_MAX_STALLS: 3,
      MAX_DELIVER: 5,
    });
  });
});
