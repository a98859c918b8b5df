import { afterAll, describe, expect, it } from 'vitest';
import { createDbClient, connectionStats } from '../src/index.js';
import { createTestDatabase } from '../src/testing.js';

const database = await createTestDatabase('connstats');
const client = createDbClient(database.url, { max: 3, applicationName: 'connection-stats-test' });
afterAll(async () => {
  await client.close();
  await database.drop();
});

describe('connectionStats', () => {
  it('counts open connections, and busy ones while a query or a transaction is in flight', async () => {
    const before = connectionStats();
    await client.sql`select 1`;
    const idle = connectionStats();
    expect(idle.open).toBe(before.open + 1);
    expect(idle.busy).toBe(before.busy);

    let inside = { open: 0, busy: 0 };
    await client.sql.begin(async (tx) => {
      await tx`select 1`;
      // Between two statements of a transaction the connection is held: busy though nothing runs.
      inside = connectionStats();
    });
    expect(inside.busy).toBe(before.busy + 1);
    // A query is busy from the moment it is written until its reply: seen at least once while it sleeps.
    let done = false;
    const slow = client.sql`select pg_sleep(0.5)`.then(() => (done = true));
    let seenBusy = false;
    while (!done) {
      seenBusy ||= connectionStats().busy === before.busy + 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await slow;
    expect(seenBusy).toBe(true);
    expect(connectionStats().busy).toBe(before.busy);
  });

  it('forgets a connection once it is closed', async () => {
    const open = connectionStats().open;
    const other = createDbClient(database.url, { max: 1 });
    await other.sql`select 1`;
    expect(connectionStats().open).toBe(open + 1);
    await other.close();
    expect(connectionStats().open).toBe(open);
  });
});
