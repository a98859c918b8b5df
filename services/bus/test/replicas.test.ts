import { afterAll, describe, expect, it } from 'vitest';
import type { NatsReplicas } from '@docprocessor/contracts';
import { connectBus, ensureTopology, FileStore, objectStoreStream, replicasFor, type Bus } from '../src/index.js';
import { destroyBusNames, TEST_NATS_SERVERS, uniqueBusNames } from '../src/testing.js';

const made: Array<{ bus: Bus; names: ReturnType<typeof uniqueBusNames> }> = [];

async function busWith(replicas: NatsReplicas): Promise<Bus> {
  const names = uniqueBusNames('replicas');
  const bus = await connectBus({ servers: TEST_NATS_SERVERS, names, connectionName: 'bus-test', replicas });
  made.push({ bus, names });
  return bus;
}

afterAll(async () => {
  for (const { bus, names } of made) {
    await bus.close();
    await destroyBusNames(TEST_NATS_SERVERS, names);
  }
});

/** What a connection's server says about its cluster (the INFO fields replicasFor reads), on an otherwise real bus. */
const onCluster = (bus: Bus, servers: number, replicas: NatsReplicas): Bus =>
  ({
    ...bus,
    replicas,
    nc: { info: { cluster: 'c', connect_urls: Array.from({ length: servers }, (_, i) => `10.0.0.${i}:4222`) } },
  }) as unknown as Bus;

describe('replicasFor', () => {
  it('auto: min(3, the servers the cluster advertises), never below what the stream has now', async () => {
    const bus = await busWith('auto');
    expect(replicasFor(onCluster(bus, 1, 'auto'))).toBe(1);
    expect(replicasFor(onCluster(bus, 2, 'auto'))).toBe(2);
    expect(replicasFor(onCluster(bus, 5, 'auto'))).toBe(3);
    // A service restarting while one of three nodes is down sees two: the stream keeps its three copies.
    expect(replicasFor(onCluster(bus, 2, 'auto'), 3)).toBe(3);
  });

  it('declared: exactly that, down as well as up', async () => {
    const bus = await busWith('auto');
    expect(replicasFor(onCluster(bus, 5, 1), 3)).toBe(1);
    expect(replicasFor(onCluster(bus, 3, 3), 1)).toBe(3);
  });
});

describe('on a single server (the local NATS)', () => {
  it('auto makes every stream and consumer with one copy', async () => {
    const bus = await busWith('auto');
    await ensureTopology(bus);
    await FileStore.open(bus);
    for (const stream of [bus.names.stream, objectStoreStream(bus.names.bucket)])
      expect((await bus.jsm.streams.info(stream)).config.num_replicas, stream).toBe(1);
    expect((await bus.jsm.consumers.info(bus.names.stream, bus.names.consumer)).config.num_replicas).toBe(1);
  });

  it('refuses NATS_REPLICAS=3, which one server cannot keep, and creates nothing', async () => {
    const bus = await busWith(3);
    await expect(ensureTopology(bus)).rejects.toThrow(/NATS_REPLICAS=3, but the NATS server is not part of a cluster/);
    await expect(bus.jsm.streams.info(bus.names.stream)).rejects.toThrow(/not found/);
  });
});
