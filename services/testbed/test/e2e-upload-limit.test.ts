import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { expectStackAlive } from './support/checks.js';
import { contactsFixture } from './support/contacts.js';
import { errorCodeOf, getOnNewConnection, uploadBytes } from './support/http.js';
import { useStack } from './support/use-stack.js';
import { eventually } from './support/wait.js';

const MAX_UPLOAD_BYTES = 100_000;

/** The upload limit gets a stack of its own: a refused upload must not disturb anything that comes after it. */
describe('uploads over MAX_UPLOAD_BYTES are refused with 413 and nothing is kept', { timeout: 120_000 }, () => {
  const env = { MAX_UPLOAD_BYTES: String(MAX_UPLOAD_BYTES), UPLOAD_RATE_LIMIT_PER_MINUTE: '100000' };
  const t = useStack({ label: 'e2e_upload_limit', env });
  const HEADERS = (): Record<string, string> => ({ 'x-api-key': t.stack.apiKey });

  // Counted in PostgreSQL and the object store directly, not over HTTP.
  const kept = async (): Promise<{ jobs: number; objects: number }> => {
    const [{ n }] = (await t.sql`select count(*)::int as n from import_jobs`) as unknown as [{ n: number }];
    return { jobs: n, objects: await t.bus.storedObjects() };
  };

  // When ingest refuses an upload before the gateway has forwarded all of it, undici (inside @fastify/reply-from)
  // destroys the body stream it was given; the client must still see the 401, not a torn-down connection.
  it('every upload refused early reaches the client as its status, never as a dropped connection', async () => {
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      let outcome: string;
      try {
        outcome = String(
          (await uploadBytes(t.stack, Buffer.alloc(1_000_000, 0x61), { filename: 'no-key.csv', key: false, timeoutMs: 10_000 })).status,
        );
      } catch (error) {
        outcome = `network error: ${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}`;
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    expect(outcomes).toEqual({ '401': 40 });
  });

  it('refuses a gzip bomb (small as sent, huge unpacked) with 413; a file just under the limit imports', async () => {
    const before = await kept();
    const bomb = gzipSync(Buffer.from(contactsFixture({ rows: 1 }).csv.padEnd(20_000_000, '\n')));
    expect(bomb.length).toBeLessThan(MAX_UPLOAD_BYTES);
    const answer = await uploadBytes(t.stack, bomb, { filename: 'bomb.csv.gz' });
    expect(answer.status, answer.text).toBe(413);
    expect(errorCodeOf(answer)).toBe('payload_too_large');
    expect(await kept()).toEqual(before);

    const fits = contactsFixture({ rows: 900 }).csv;
    expect(fits.length).toBeLessThan(MAX_UPLOAD_BYTES);
    const accepted = await uploadBytes(t.stack, fits, { filename: 'fits.csv' });
    expect(accepted.status, accepted.text).toBe(202);
    const done = await eventually(async () => {
      const [job] = await t.sql`select status, processed_rows::int as processed from import_jobs where id = ${accepted.body.id}`;
      return job && job.status !== 'pending' && job.status !== 'processing' ? job : undefined;
    }, 'the file under the limit to finish');
    expect({ ...done }).toEqual({ status: 'completed', processed: 900 });
    await expectStackAlive(t.stack);
  });

  it('refuses a file larger than the limit with 413 and keeps neither a job nor a stored object', async () => {
    const before = await kept();
    const big = Buffer.from(contactsFixture({ rows: 40_000 }).csv).subarray(0, 3_000_000);
    const answer = await uploadBytes(t.stack, big, { filename: 'big.csv', timeoutMs: 20_000 });
    expect(answer.status, answer.text).toBe(413);
    expect(errorCodeOf(answer)).toBe('payload_too_large');
    expect(await kept()).toEqual(before);
    expect(
      t.stack.services.every((s) => s.child.exitCode === null && s.child.signalCode === null),
      t.stack.logs(),
    ).toBe(true);
  });

  // Ingest answers 413 before it has read the body; were the unread bytes left in the kept-alive connection, the
  // gateway's pooled upstream connection would be stuck and the next request handed to it (anybody's) would wait for
  // ingest's 72 s keep-alive timeout. Bounded here at 10 s.
  it('after a refused upload, the next requests of other clients are answered', async () => {
    const stuck: string[] = [];
    const rounds: Array<{ what: string; bytes: Uint8Array; key?: false; status: number }> = [
      { what: 'a 3 MB file (refused in the previous test)', bytes: new Uint8Array(0), status: 413 },
      { what: 'a 1 MB file', bytes: Buffer.alloc(1_000_000, 0x61), status: 413 },
      { what: 'a 1 MB PDF', bytes: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1_000_000, 0x61)]), status: 415 },
      { what: 'a 1 MB file without a key', bytes: Buffer.alloc(1_000_000, 0x61), key: false, status: 401 },
    ];
    for (const [index, round] of rounds.entries()) {
      if (index > 0) {
        const answer = await uploadBytes(t.stack, round.bytes, { filename: 'too-big.csv', key: round.key, timeoutMs: 10_000 });
        if (answer.status !== round.status) stuck.push(`${round.what}: answered ${answer.status}, not ${round.status}: ${answer.text}`);
      }
      for (let i = 0; i < 2; i++) {
        const status = await getOnNewConnection(`${t.stack.url}/api/imports?limit=1`, HEADERS(), 10_000);
        if (status !== 200) stuck.push(`after ${round.what}: GET #${i + 1} of another client answered ${status || 'nothing within 10 s'}`);
      }
    }
    expect(stuck).toEqual([]);
  });

  it('leaves every process running', async () => {
    expect(t.stack.services.filter((s) => s.child.exitCode !== null || s.child.signalCode !== null).map((s) => s.name)).toEqual([]);
    expect(await getOnNewConnection(`${t.stack.env.INGEST_URL}/api/health`, {}, 10_000)).toBe(200);
  });
});
