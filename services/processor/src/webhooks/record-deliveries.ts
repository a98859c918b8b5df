import type { Consumer, JsMsg } from '@nats-io/jetstream';
import { EventType, webhookConsumer } from '@docprocessor/contracts';
import { TENANT_HEADER } from '@docprocessor/bus';
import { recordDeliveries } from '@docprocessor/db';
import type { ProcessorContext } from '../context.js';
import { settle } from '../work/settle.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads every job event from a durable consumer of its own and records one delivery per webhook that wants it,
 * acknowledging only once it is in the database: an event is recorded at least once, and recording it again adds
 * nothing (the stream sequence is unique per webhook). Then wakes the sender.
 */
export class DeliveryRecorder {
  private running = false;
  private loop: Promise<void> | null = null;
  private consumer: Consumer | null = null;

  constructor(
    private readonly ctx: ProcessorContext,
    private readonly recorded: () => void,
  ) {}

  async start(): Promise<void> {
    this.consumer = await this.ctx.bus.js.consumers.get(this.ctx.bus.names.stream, webhookConsumer(this.ctx.bus.names));
    this.running = true;
    this.loop = this.pull();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async pull(): Promise<void> {
    while (this.running) {
      try {
        const message = await this.consumer!.next({ expires: 2000 });
        if (message) await this.record(message);
      } catch (error) {
        this.ctx.logger.warn({ err: error }, 'recording webhook deliveries failed; retrying');
        await sleep(1000);
      }
    }
  }

  private async record(message: JsMsg): Promise<void> {
    // Subjects are <prefix>.<jobId>.<type>; an event this version does not know is not one a webhook asked for.
    const [, jobId, type] = message.subject.split('.');
    const event = EventType.safeParse(type);
    const tenantId = message.headers?.get(TENANT_HEADER);
    if (!jobId || !event.success || !tenantId) return settle(message, 'ack');
    const added = await recordDeliveries(this.ctx.db.sql, {
      tenantId,
      jobId,
      event: event.data,
      streamSeq: message.seq,
      body: message.string(),
    });
    settle(message, 'ack');
    if (added > 0) this.recorded();
  }
}
