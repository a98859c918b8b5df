import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ImportEvent, type BusNames } from '@docprocessor/contracts';
import { eventually } from './wait.js';

const FINAL_EVENTS: string[] = ['completed', 'failed', 'cancelled'];

/** The job events as they arrive live on NATS (core subscription, reconnecting like the services do). */
export class EventLog {
  readonly events: ImportEvent[] = [];
  private waiters: Array<{ match: (event: ImportEvent) => boolean; resolve: (event: ImportEvent) => void }> = [];
  private constructor(private readonly nc: NatsConnection) {}

  static async open(servers: string[], names: BusNames): Promise<EventLog> {
    const nc = await connect({ servers, maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'testbed-events' });
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
    if (seen) {
      act(seen);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) =>
      this.waiters.push({
        match,
        resolve: (event) => {
          act(event);
          resolve(event);
        },
      }),
    );
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
      if (event.job[key] < high[key]) {
        return `event ${index} (${event.type}, attempt ${event.job.attempt}): ${key} ${event.job[key]} < ${high[key]} seen before`;
      }
      high[key] = event.job[key];
    }
  }
  return null;
}
