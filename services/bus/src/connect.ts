import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { BusNames } from '@docprocessor/contracts';

export interface Bus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  names: BusNames;
  close(): Promise<void>;
}

export interface BusOptions {
  servers: string[];
  names: BusNames;
  /** Shown in `nats server report connections`. */
  connectionName: string;
}

/** Connects for the life of the process; the client reconnects by itself forever when the server goes away. */
export async function connectBus(options: BusOptions): Promise<Bus> {
  const nc = await connect({
    servers: options.servers,
    name: options.connectionName,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    waitOnFirstConnect: false,
  });
  const js = jetstream(nc, { timeout: 10_000 });
  const jsm = await jetstreamManager(nc, { timeout: 10_000 });
  return {
    nc,
    js,
    jsm,
    names: options.names,
    async close() {
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}
