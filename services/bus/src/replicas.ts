import type { StreamConfig } from '@nats-io/jetstream';
import type { NatsReplicas } from '@docprocessor/contracts';
import type { Bus } from './connect.js';

/** More copies than this add write latency without surviving anything a 3-copy stream would not. */
const MOST_DETECTED_REPLICAS = 3;

/**
 * The servers of the cluster the connection is on: the client URLs the server advertises (its own included), or 1
 * on a server that is not in a cluster. A server started with `no_advertise` tells nothing: declare NATS_REPLICAS.
 */
export function clusterSize(bus: Bus): number {
  const info = bus.nc.info;
  if (!info?.cluster) return 1;
  return Math.max(1, new Set(info.connect_urls ?? []).size);
}

/**
 * Copies a stream (and its consumers) should have. Declared: exactly that. `auto`: min(3, cluster size), but never
 * fewer than the stream has now, so a service that restarts while a node is down does not shrink the streams.
 */
export function replicasFor(bus: Bus, current?: number): number {
  const declared: NatsReplicas = bus.replicas;
  if (declared !== 'auto') {
    if (declared > 1 && !bus.nc.info?.cluster)
      throw new Error(`NATS_REPLICAS=${declared}, but the NATS server is not part of a cluster: set it to 1 or auto`);
    return declared;
  }
  const detected = Math.min(MOST_DETECTED_REPLICAS, clusterSize(bus));
  return Math.max(detected, current ?? 0);
}

/**
 * Creates the stream with the copies replicasFor gives, or brings an existing one to them (NATS moves the data to
 * the new peers in the background; its consumers with `num_replicas: 0` follow). Returns the copies it asked for.
 */
export async function ensureStream(bus: Bus, config: Partial<StreamConfig> & { name: string }): Promise<number> {
  const existing = await bus.jsm.streams.info(config.name).catch((error: unknown) => {
    if (error instanceof Error && /not found/i.test(error.message)) return null;
    throw error;
  });
  const replicas = replicasFor(bus, existing?.config.num_replicas);
  if (!existing) await bus.jsm.streams.add({ ...config, num_replicas: replicas });
  else await bus.jsm.streams.update(config.name, { ...existing.config, ...config, num_replicas: replicas });
  return replicas;
}
