import { connect, type NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { DeadLetter, deadLetterStream, ImportEvent, type BusNames } from '@docprocessor/contracts';
import type { Stack } from '../../src/stack.js';

/** The NATS servers the stack's services connect to. */
export const natsServers = (stack: Stack): string[] => stack.env.NATS_URL!.split(',');

/**
 * What the stack left on NATS, asked the way an operator's `nats` CLI would: each question on a connection of
 * its own, so it works the same before and after the server restarts.
 */
export class BusProbe {
  constructor(
    readonly servers: string[],
    readonly names: BusNames,
  ) {}

  static of(stack: Stack): BusProbe {
    return new BusProbe(natsServers(stack), stack.names);
  }

  private async withConnection<T>(name: string, use: (nc: NatsConnection) => Promise<T>): Promise<T> {
    const nc = await connect({ servers: this.servers, name: `testbed-${name}` });
    try {
      return await use(nc);
    } finally {
      await nc.close();
    }
  }

  /** The job's events as the stream kept them, in stream order: what a late `nats sub` replay would show. */
  replay(jobId: string): Promise<ImportEvent[]> {
    return this.withConnection('replay', async (nc) => {
      const filter = `${this.names.subjectPrefix}.${jobId}.>`;
      const consumer = await jetstream(nc).consumers.get(this.names.stream, { filter_subjects: filter, deliver_policy: DeliverPolicy.All });
      const events: ImportEvent[] = [];
      for (;;) {
        const message = await consumer.next({ expires: 2000 });
        if (!message) break;
        events.push(ImportEvent.parse(message.json()));
        if (message.info.pending === 0) break;
      }
      return events;
    });
  }

  /** Every dead letter the stack's processors published (none when they never made the stream). */
  deadLetters(): Promise<DeadLetter[]> {
    return this.withConnection('dead-letters', async (nc) => {
      const stream = deadLetterStream(this.names);
      const info = await (await jetstreamManager(nc)).streams.info(stream).catch(() => null);
      if (!info || info.state.messages === 0) return [];
      const consumer = await jetstream(nc).consumers.get(stream, { deliver_policy: DeliverPolicy.All });
      const letters: DeadLetter[] = [];
      while (letters.length < info.state.messages) {
        const message = await consumer.next({ expires: 2000 });
        if (!message) break;
        letters.push(DeadLetter.parse(message.json()));
      }
      return letters;
    });
  }

  /** True once every work item was delivered and settled (acked, terminated or given up): nothing waits for a worker. */
  workQueueSettled(): Promise<boolean> {
    return this.withConnection('queue', async (nc) => {
      const info = await (await jetstreamManager(nc)).consumers.info(this.names.stream, this.names.consumer);
      return info.num_pending === 0 && info.num_ack_pending === 0 && info.num_redelivered === 0;
    });
  }

  /** Deletes a job's work items from the stream, as an operator's purge or a lost stream would: no redelivery will come. */
  loseWorkItem(jobId: string): Promise<number> {
    return this.withConnection('purge', async (nc) => {
      const filter = `${this.names.subjectPrefix}.${jobId}.created`;
      return (await (await jetstreamManager(nc)).streams.purge(this.names.stream, { filter })).purged;
    });
  }

  /** The hand-back count the watchdog wrote on the job's latest work item (0 when it never republished it). */
  handBacksOf(jobId: string): Promise<number> {
    return this.withConnection('hand-backs', async (nc) => {
      const last = { last_by_subj: `${this.names.subjectPrefix}.${jobId}.created` };
      const stored = await (await jetstreamManager(nc)).streams.getMessage(this.names.stream, last);
      return Number(stored?.header?.get('Work-Item-Hand-Backs') || 0);
    });
  }

  /** The uploads kept in the stack's object store (deleted ones not counted). */
  storedObjects(): Promise<number> {
    return this.withConnection('objects', async (nc) => {
      const store = await new Objm(nc).open(this.names.bucket);
      return (await store.list()).filter((info) => !info.deleted).length;
    });
  }
}
