import { connect, type NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { DeadLetter, deadLetterStream, ImportEvent, type BusNames } from '@docprocessor/contracts';
import { eventually } from './support/wait.js';

/** The NATS side of the fault tests: the job events as they arrive and as the stream kept them, and the dead letters. */

const FINAL_EVENTS: string[] = ['completed', 'failed', 'cancelled'];

export class EventLog {
  readonly events: ImportEvent[] = [];
  private waiters: Array<{ match: (event: ImportEvent) => boolean; resolve: (event: ImportEvent) => void }> = [];
  private constructor(private readonly nc: NatsConnection) {}

  static async open(servers: string[], names: BusNames): Promise<EventLog> {
    const nc = await connect({ servers, maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'fault-test-events' });
    const log = new EventLog(nc);
    nc.subscribe(`${names.subjectPrefix}.>`, {
      callback: (_error, message) => {
        const event = ImportEvent.safeParse(safeJson(message.string()));
        if (event.success) log.received(event.data); // a test may publish garbage on purpose
      },
    });
    await nc.flush();
    return log;
  }

  private received(event: ImportEvent): void {
    this.events.push(event);
    for (const waiter of this.waiters.filter((w) => w.match(event))) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  }

  /**
   * Calls `act` on the first matching event, synchronously inside the subscription callback when it is still
   * to come, so a fault lands while the worker is exactly there (milliseconds later, not a polling interval).
   */
  on(match: (event: ImportEvent) => boolean, act: (event: ImportEvent) => void = () => undefined): Promise<ImportEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve((act(seen), seen));
    return new Promise((resolve) => this.waiters.push({ match, resolve: (event) => (act(event), resolve(event)) }));
  }

  of(jobId: string): ImportEvent[] {
    return this.events.filter((e) => e.jobId === jobId);
  }

  /**
   * The job's events once its final event has arrived. A job's end is committed just before it is published, so a
   * test that saw the final row in PostgreSQL may still be a moment ahead of the event.
   */
  async untilFinal(jobId: string, match: (event: ImportEvent) => boolean = () => true, timeoutMs = 30_000): Promise<ImportEvent[]> {
    await this.waitFor(jobId, (e) => FINAL_EVENTS.includes(e.type) && match(e), `the final event of job ${jobId}`, timeoutMs);
    return this.of(jobId);
  }

  /** Resolves with the first event of the job (already seen or still to come) that matches. */
  waitFor(jobId: string, match: (event: ImportEvent) => boolean, what: string, timeoutMs = 60_000): Promise<ImportEvent> {
    return eventually(() => this.of(jobId).find(match), what, timeoutMs);
  }

  close(): Promise<void> {
    return this.nc.close();
  }
}

/** The job's events as the stream kept them, in stream order: what a late `nats sub` replay would show. */
export async function replayEvents(servers: string[], names: BusNames, jobId: string): Promise<ImportEvent[]> {
  const nc = await connect({ servers, name: 'fault-test-replay' });
  try {
    const js = jetstream(nc);
    const consumer = await js.consumers.get(names.stream, { filter_subjects: `${names.subjectPrefix}.${jobId}.>`, deliver_policy: DeliverPolicy.All });
    const events: ImportEvent[] = [];
    for (;;) {
      const message = await consumer.next({ expires: 2000 });
      if (!message) break;
      events.push(ImportEvent.parse(message.json()));
      if (message.info.pending === 0) break;
    }
    return events;
  } finally {
    await nc.close();
  }
}

/** Every dead letter the stack's processors published (none when they never made the stream). */
export async function deadLetters(servers: string[], names: BusNames): Promise<DeadLetter[]> {
  const nc = await connect({ servers, name: 'fault-test-dead-letters' });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(deadLetterStream(names)).catch(() => null);
    if (!info || info.state.messages === 0) return [];
    const consumer = await jetstream(nc).consumers.get(deadLetterStream(names), { deliver_policy: DeliverPolicy.All });
    const letters: DeadLetter[] = [];
    while (letters.length < info.state.messages) {
      const message = await consumer.next({ expires: 2000 });
      if (!message) break;
      letters.push(DeadLetter.parse(message.json()));
    }
    return letters;
  } finally {
    await nc.close();
  }
}

/** True once every work item was delivered and settled (acked, terminated or given up): nothing waits for a worker. */
export async function workQueueSettled(servers: string[], names: BusNames): Promise<boolean> {
  const nc = await connect({ servers, name: 'fault-test-queue' });
  try {
    const info = await (await jetstreamManager(nc)).consumers.info(names.stream, names.consumer);
    return info.num_pending === 0 && info.num_ack_pending === 0 && info.num_redelivered === 0;
  } finally {
    await nc.close();
  }
}

/** Deletes a job's work items from the stream, as an operator's purge or a lost stream would: no redelivery will come. */
export async function loseWorkItem(servers: string[], names: BusNames, jobId: string): Promise<number> {
  const nc = await connect({ servers, name: 'fault-test-purge' });
  try {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.purge(names.stream, { filter: `${names.subjectPrefix}.${jobId}.created` })).purged;
  } finally {
    await nc.close();
  }
}

/** The hand-back count the watchdog wrote on the job's latest work item (0 when it never republished it). */
export async function handBacksOf(servers: string[], names: BusNames, jobId: string): Promise<number> {
  const nc = await connect({ servers, name: 'fault-test-handbacks' });
  try {
    const stored = await (await jetstreamManager(nc)).streams.getMessage(names.stream, { last_by_subj: `${names.subjectPrefix}.${jobId}.created` });
    return Number(stored?.header?.get('Work-Item-Hand-Backs') || 0);
  } finally {
    await nc.close();
  }
}

/** The dead-letter stream is made on demand by a processor; Stack.stop() does not know it. */
export async function removeDeadLetterStream(servers: string[], names: BusNames): Promise<void> {
  const nc = await connect({ servers, name: 'fault-test-cleanup' });
  try {
    await (await jetstreamManager(nc)).streams.delete(deadLetterStream(names)).catch(() => false);
  } finally {
    await nc.close();
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// A resumed run's parser reports its own read-ahead, which can be below the run before it; write-batch.ts keeps the
// greatest, so bytesProcessed never goes backwards either.
const COUNTS = ['processedRows', 'successRows', 'failedRows', 'bytesProcessed'] as const;

/** Names the first event whose counts are lower than an earlier one's, or returns null. */
export function countsGoingBackwards(events: ImportEvent[]): string | null {
  const high = { processedRows: 0, successRows: 0, failedRows: 0, bytesProcessed: 0 };
  for (const [index, event] of events.entries()) {
    for (const key of COUNTS) {
      if (event.job[key] < high[key]) return `event ${index} (${event.type}, attempt ${event.job.attempt}): ${key} ${event.job[key]} < ${high[key]} seen before`;
      high[key] = event.job[key];
    }
  }
  return null;
}
