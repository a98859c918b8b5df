import { describe, expect, it } from 'vitest';
import { loadConfig, retryDelayMs } from '../src/config.js';
import { infrastructureCode } from '../src/give-up.js';

describe('giving up', () => {
  it('tells database and NATS failures from failures of the job itself', () => {
    expect(infrastructureCode(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', name: 'PostgresError' }))).toBe('database_unavailable');
    expect(infrastructureCode(Object.assign(new Error('write CONNECTION_CLOSED 127.0.0.1:5432'), { code: 'CONNECTION_CLOSED' }))).toBe('database_unavailable');
    expect(infrastructureCode(Object.assign(new Error('database "x" is not currently accepting connections'), { code: '55000' }))).toBe('database_unavailable');
    expect(infrastructureCode(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('database_unavailable');
    expect(infrastructureCode(Object.assign(new Error('consumer not found'), { name: 'ConsumerNotFoundError' }))).toBe('nats_unavailable');
    expect(infrastructureCode(Object.assign(new Error('timeout'), { name: 'TimeoutError' }))).toBe('nats_unavailable');
    expect(infrastructureCode(Object.assign(new Error('new row for relation "contacts" violates check constraint "x"'), { code: '23514' }))).toBeNull();
    expect(infrastructureCode(new TypeError('Cannot read properties of undefined'))).toBeNull();
  });

  it('backs off exponentially between deliveries, up to a ceiling', () => {
    const config = loadConfig({ RETRY_BACKOFF_MS: '1000', RETRY_BACKOFF_MAX_MS: '5000' });
    expect([1, 2, 3, 4, 5].map((delivery) => retryDelayMs(config, delivery))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it('refuses a watchdog that would act before redelivery had its chance', () => {
    expect(() => loadConfig({ ACK_WAIT_MS: '30000', WATCHDOG_STALL_MS: '20000' })).toThrow(/WATCHDOG_STALL_MS/);
    expect(loadConfig({})).toMatchObject({ WATCHDOG_STALL_MS: 120_000, WATCHDOG_PENDING_MS: 600_000, WATCHDOG_MAX_STALLS: 3, MAX_DELIVER: 5 });
  });
});
