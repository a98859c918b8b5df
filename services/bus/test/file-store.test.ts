import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, ensureTopology, FileStore, type Bus } from '../src/index.js';
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
    const failing = new Readable({
      read() {
        this.push(randomBytes(200_000));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(files.put('broken.csv', failing)).rejects.toThrow();
    expect(await files.exists('broken.csv')).toBe(false);
  });
});
