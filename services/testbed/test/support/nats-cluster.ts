import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { freePort } from '../../src/stack.js';
import { PrivateNats } from './private-nats.js';
import { eventually } from './wait.js';

export interface ClusterNode {
  /** The server's name (`-n`), as stream and consumer info name their leader and replicas. */
  name: string;
  server: PrivateNats;
}

/**
 * A NATS JetStream cluster of the test's own: `size` nats-server processes on loopback, each with its own client
 * port, store directory and cluster port, every one routed to every other (the nats-server docs' loopback example).
 */
export class NatsCluster {
  private constructor(readonly nodes: ClusterNode[]) {}

  static async start(size = 3): Promise<NatsCluster> {
    const clusterName = `dp_${randomBytes(3).toString('hex')}`;
    const ports = await Promise.all(Array.from({ length: size }, async () => ({ client: await freePort(), route: await freePort() })));
    const routes = ports.map((p) => `nats://127.0.0.1:${p.route}`).join(',');
    const started = await Promise.allSettled(
      ports.map(async (p, i) => {
        const name = `${clusterName}_${String.fromCharCode(97 + i)}`;
        const args = ['-n', name, '--cluster_name', clusterName, '--cluster', `nats://127.0.0.1:${p.route}`, '--routes', routes];
        return { name, server: await PrivateNats.start({ port: p.client, args }) };
      }),
    );
    const nodes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const cluster = new NatsCluster(nodes);
    try {
      const failed = started.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      await cluster.ready();
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  /** Every node's client URL, as NATS_URL takes them (comma-joined). */
  get urls(): string[] {
    return this.nodes.map((node) => node.server.url);
  }

  /**
   * Every node advertises all the cluster's client URLs (what NATS_REPLICAS=auto counts) and the JetStream meta
   * leader places a stream on every node: a 3-replica probe stream is created and removed.
   */
  private async ready(): Promise<void> {
    for (const node of this.nodes) {
      await eventually(
        () => this.withConnection([node.server.url], async (nc) => (nc.info?.connect_urls?.length ?? 0) >= this.nodes.length),
        `${node.name} to advertise every node of the cluster`,
        30_000,
        200,
      );
    }
    const probe = `READY_${randomBytes(3).toString('hex')}`;
    await eventually(
      () =>
        this.withConnection(this.urls, async (nc) => {
          const jsm = await jetstreamManager(nc, { timeout: 5000 });
          await jsm.streams.add({ name: probe, subjects: [`${probe}.>`], num_replicas: this.nodes.length });
          await jsm.streams.delete(probe);
          return true;
        }),
      'a JetStream meta leader that places a stream on every node',
      30_000,
      500,
    );
  }

  /** The node that leads a stream now (`nats stream info`'s "Cluster Information: Leader"). */
  async streamLeader(stream: string): Promise<ClusterNode> {
    // A short timeout: while the stream has no leader the question goes unanswered, and a caller polls it.
    const ask = async (nc: NatsConnection) => (await (await jetstreamManager(nc, { timeout: 1000 })).streams.info(stream)).cluster?.leader;
    const leader = await this.withConnection(this.liveUrls(), ask);
    const node = this.nodes.find((n) => n.name === leader);
    if (!node) throw new Error(`stream ${stream} has no leader among ${this.nodes.map((n) => n.name).join(', ')} (got ${leader})`);
    return node;
  }

  /** The URLs of the nodes still running. */
  liveUrls(): string[] {
    return this.nodes.filter((node) => node.server.running).map((node) => node.server.url);
  }

  async withConnection<T>(servers: string[], use: (nc: NatsConnection) => Promise<T>): Promise<T> {
    const nc = await connect({ servers, name: 'testbed-cluster' });
    try {
      return await use(nc);
    } finally {
      await nc.close();
    }
  }

  /** Stops every node and removes its store directory. */
  async destroy(): Promise<void> {
    await Promise.allSettled(this.nodes.map((node) => node.server.destroy()));
  }
}
