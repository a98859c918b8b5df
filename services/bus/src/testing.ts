import { randomBytes } from 'node:crypto';
import { deadLetterStream, type BusNames } from '@docprocessor/contracts';
import { connectBus } from './connect.js';
import { objectStoreStream } from './file-store.js';

/** Stream, subject prefix, bucket and consumer names of their own for one test file. */
export function uniqueBusNames(label = 't'): BusNames {
  const id = `${label.replace(/\W/g, '').slice(0, 10)}${randomBytes(4).toString('hex')}`;
  return { stream: `T_${id}`, subjectPrefix: `t_${id}`, bucket: `tf_${id}`, consumer: `tp_${id}` };
}

/** Removes what a test run created on the server. */
export async function destroyBusNames(servers: string[], names: BusNames): Promise<void> {
  const bus = await connectBus({ servers, names, connectionName: 'test-cleanup' });
  try {
    for (const stream of [names.stream, objectStoreStream(names.bucket), deadLetterStream(names)]) {
      await bus.jsm.streams.delete(stream).catch(() => false);
    }
  } finally {
    await bus.close();
  }
}

export const TEST_NATS_SERVERS = (process.env.NATS_URL ?? 'nats://127.0.0.1:4222').split(',');
