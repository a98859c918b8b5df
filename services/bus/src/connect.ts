import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { BusNames, NatsReplicas } from '@docprocessor/contracts';

export interface Bus {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  names: BusNames;
  /** NATS_REPLICAS: the copies of every stream this service creates or updates (replicas.ts). */
  replicas: NatsReplicas;
  close(): Promise<void>;
}

export interface BusOptions {
  servers: string[];
  names: BusNames;
  /** Shown in `nats server report connections`. */
  connectionName: string;
  /** NATS_REPLICAS; `auto` when not given. */
  replicas?: NatsReplicas;
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
    replicas: options.replicas ?? 'auto',
    async close() {
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}

/** The little a bus helper logs through; pino's logger is one. */
export interface BusLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/**
 * Connects, and readies what the service needs on the server (`prepare`: topology, stores), retrying every
 * 2 s while NATS is not reachable: `npm start` brings everything up together, and NATS may be restarting.
 * After the first connect the client reconnects by itself forever; its status changes are logged.
 */
export async function connectWhenReachable<T>(
  options: BusOptions,
  logger: BusLogger,
  prepare: (bus: Bus) => Promise<T>,
): Promise<{ bus: Bus; prepared: T }> {
  for (let attempt = 1; ; attempt++) {
    let candidate: Bus | null = null;
    try {
      candidate = await connectBus(options);
      const prepared = await prepare(candidate);
      watchStatus(candidate, logger);
      return { bus: candidate, prepared };
    } catch (error) {
      await candidate?.close().catch(() => undefined);
      logger.warn({ err: error, attempt, servers: options.servers }, 'NATS is not reachable yet; trying again in 2 s');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

function watchStatus(bus: Bus, logger: BusLogger): void {
  void (async () => {
    for await (const status of bus.nc.status()) if (status.type !== 'ping') logger.info({ nats: status.type }, 'nats connection status');
  })().catch((error: unknown) => logger.warn({ err: error }, 'nats status watch ended'));
}
