import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { ImportEvent } from '@docprocessor/contracts';
import type { Stack } from '../../src/stack.js';
import { eventually } from './wait.js';

/** A plain NATS subscriber on `<prefix>.>`, what `nats sub 'imports.>'` shows, keeping subjects and payloads. */
export class NatsLog {
  readonly messages: Array<{ subject: string; event: ImportEvent }> = [];
  private constructor(private readonly nc: NatsConnection) {}

  static async open(stack: Stack): Promise<NatsLog> {
    const nc = await connect({ servers: stack.env.NATS_URL!.split(','), name: 'e2e-test-subscriber' });
    const log = new NatsLog(nc);
    nc.subscribe(`${stack.names.subjectPrefix}.>`, {
      callback: (error, message) => {
        if (!error) log.messages.push({ subject: message.subject, event: message.json<ImportEvent>() });
      },
    });
    await nc.flush();
    return log;
  }

  eventsOf(jobId: string): ImportEvent[] {
    return this.messages.filter((m) => m.event.jobId === jobId).map((m) => m.event);
  }

  async waitForTerminal(jobId: string, timeoutMs = 60_000): Promise<ImportEvent> {
    return eventually(
      () => this.eventsOf(jobId).find((e) => ['completed', 'failed', 'cancelled'].includes(e.type)),
      `a terminal NATS event of ${jobId}`,
      timeoutMs,
      20,
    );
  }

  async close(): Promise<void> {
    await this.nc.drain().catch(() => this.nc.close());
  }
}
