import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Objm } from '@nats-io/obj';
import { askAgainOnTimeout, connectBus, ensureTopology, FileStore, type Bus } from '../src/index.js';
import { destroyBusNames, TEST_NATS_SERVERS, uniqueBusNames } from '../src/testing.js';

const names = uniqueBusNames('files');
let bus: Bus;
let files: FileStore;

beforeAll(async () => {
  bus = await connectBus({ servers: TEST_NATS_SERVERS, names, connectionName: 'bus-test' });
  await ensureTopology(bus);
  files = await FileStore.open(bus);
});
afterAll(async () => {
  await bus.close();
  await destroyBusNames(TEST_NATS_SERVERS, names);
});

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Uint8Array));
  return Buffer.concat(parts);
}

describe('FileStore', () => {
  it('stores a multi-chunk stream and reads back the same bytes with their sha256', async () => {
    const content = randomBytes(1_000_000 + 17);
    const stored = await files.put('big.csv', Readable.from([content.subarray(0, 300_000), content.subarray(300_000)]));
    expect(stored.size).toBe(content.length);
    expect(stored.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    const back = await files.read('big.csv');
    expect(back).not.toBeNull();
    expect((await readAll(back!)).equals(content)).toBe(true);
  });

  it('writes an ordinary object: the library reads it back and checks its digest', async () => {
    const content = randomBytes(3 * 512 * 1024 + 5);
    await files.put('compatible.csv', Readable.from([content]));
    const store = await new Objm(bus.js).open(names.bucket);
    expect(await store.info('compatible.csv')).toMatchObject({ name: 'compatible.csv', size: content.length, chunks: 4, deleted: false });
    const got = await store.getBlob('compatible.csv'); // rejects when the digest does not match the bytes
    expect(got && Buffer.from(got).equals(content)).toBe(true);
  });

  it('makes no consumer for a stream destroyed before it is read', async () => {
    await files.put('unread.csv', Readable.from([randomBytes(3 * 512 * 1024)]));
    const consumers = async () => (await bus.jsm.streams.info(`OBJ_${names.bucket}`)).state.consumer_count;
    const before = await consumers();
    (await files.read('unread.csv'))!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await consumers()).toBe(before);
    expect((await readAll((await files.read('unread.csv'))!)).length).toBe(3 * 512 * 1024);
  });

  it('reads an empty object as an empty stream and a missing one as null', async () => {
    await files.put('empty.csv', Readable.from([]));
    expect((await readAll((await files.read('empty.csv'))!)).length).toBe(0);
    expect(await files.read('nope.csv')).toBeNull();
  });

  it('deletes an object', async () => {
    await files.put('gone.csv', Readable.from([Buffer.from('a,b\n')]));
    expect(await files.exists('gone.csv')).toBe(true);
    await files.delete('gone.csv');
    expect(await files.exists('gone.csv')).toBe(false);
  });

  it('keeps nothing when the source stream fails midway', async () => {
    // Several chunks are sent before the client goes away.
    const failing = Readable.from(
      (async function* () {
        for (let i = 0; i < 6; i++) yield randomBytes(300_000);
        throw new Error('client went away');
      })(),
    );
    const stream = `OBJ_${names.bucket}`;
    const before = (await bus.jsm.streams.info(stream)).state.messages;
    await expect(files.put('broken.csv', failing)).rejects.toThrow('client went away');
    expect(await files.exists('broken.csv')).toBe(false);
    expect((await bus.jsm.streams.info(stream)).state.messages).toBe(before);
  });
});

describe('a request that times out, as the read consumer does when NATS places it on a dead node', () => {
  it('is made again until it is answered, and its last timeout is thrown once the tries are used up', async () => {
    // A subscriber that answers only from its third request on: the first two time out, as a dead node's placement does.
    const subject = `${names.subjectPrefix}_late_answer`;
    let heard = 0;
    const late = bus.nc.subscribe(subject, {
      callback: (_error, message) => {
        if (++heard >= 3) message.respond('here');
      },
    });
    const ask = () => bus.nc.request(subject, '', { timeout: 200 }).then((m) => m.string());
    try {
      await bus.nc.flush();
      expect(await askAgainOnTimeout(5, ask)).toBe('here');
      expect(heard).toBe(3);

      heard = -10; // not answered within the tries now
      const error = await askAgainOnTimeout(2, ask).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'TimeoutError' });
      expect(heard).toBe(-8);
    } finally {
      late.unsubscribe();
    }
  });

  it('is not made again when it fails otherwise', async () => {
    let made = 0;
    const refused = () => {
      made++;
      return bus.nc.request(`${names.subjectPrefix}_nobody_listens`, '', { timeout: 200 });
    };
    const error = await askAgainOnTimeout(5, refused).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).not.toBe('TimeoutError');
    expect(made).toBe(1);
  });
});
