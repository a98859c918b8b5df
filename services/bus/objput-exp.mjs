import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Objm, setSha256Backend } from '@nats-io/obj';
import { Readable } from 'node:stream';
import { createReadStream } from 'node:fs';
setSha256Backend('native');
const nc = await connect({ servers: '127.0.0.1:4222' });
const js = jetstream(nc);
const os = await new Objm(js).create('exp_bench');
const file = process.argv[2];
for (let i = 0; i < 3; i++) {
  let t = Date.now();
  await os.put({ name: 'f' + i, options: { max_chunk_size: 512 * 1024 } }, Readable.toWeb(createReadStream(file, { highWaterMark: 512 * 1024 })));
  console.log('obj put', Date.now() - t, 'ms');
  // pipelined raw publishes
  t = Date.now();
  const subj = '$O.exp_bench.C.raw' + i;
  const inflight = [];
  for await (const chunk of createReadStream(file, { highWaterMark: 512 * 1024 })) {
    inflight.push(js.publish(subj, chunk));
    if (inflight.length >= 8) await inflight.shift();
  }
  await Promise.all(inflight);
  console.log('pipelined 8', Date.now() - t, 'ms');
  t = Date.now();
  let n = 0; for await (const chunk of createReadStream(file, { highWaterMark: 512 * 1024 })) n += chunk.length;
  console.log('read only', Date.now() - t, 'ms', n);
}
await os.destroy();
await nc.close();
