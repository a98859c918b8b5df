import type { Consumer, JsMsg } from '@nats-io/jetstream';
import { repairConsumer, RepairItem, type RepairKind } from '@docprocessor/contracts';
import { leaseRenewalMs, retryDelayMs } from '../config.js';
import type { ProcessorContext } from '../context.js';
import { settle } from './settle.js';

/** What a repair may do with its lease: keep it alive during long work. */
export interface RepairLease {
  renew(): void;
  /** This is the item's last delivery: a failure now is final, and the handler records it where a person sees it. */
  lastDelivery: boolean;
}

/** Does one repair to its end; throws to have it retried (every step is safe to repeat). */
export type RepairHandler = (ctx: ProcessorContext, item: RepairItem, lease: RepairLease) => Promise<void>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The repair work queue (revert, fix), one at a time per worker: ack when done, nak with backoff on a failure,
 * and once the deliveries are used up the item is terminated and logged (the job keeps what the handler recorded).
 */
export class RepairConsumer {
  private running = false;
  private loop: Promise<void> | null = null;
  private consumer: Consumer | null = null;

  constructor(
    private readonly ctx: ProcessorContext,
    private readonly handlers: Readonly<Record<RepairKind, RepairHandler>>,
  ) {}

  async start(): Promise<void> {
    this.consumer = await this.ctx.bus.js.consumers.get(this.ctx.bus.names.stream, repairConsumer(this.ctx.bus.names));
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
        if (message) await this.handle(message);
      } catch (error) {
        this.ctx.logger.warn({ err: error }, 'pulling repair work failed; retrying');
        await sleep(1000);
      }
    }
  }

  private async handle(message: JsMsg): Promise<void> {
    const parsed = RepairItem.safeParse(safeJson(message));
    if (!parsed.success) {
      this.ctx.logger.error({ subject: message.subject }, 'repair work item is unreadable; dropped');
      return settle(message, 'term');
    }
    const item = parsed.data;
    const log = this.ctx.logger.child({ jobId: item.jobId, repair: item.kind, delivery: message.info.deliveryCount });
    const renew = () => settle(message, 'working');
    const timer = setInterval(renew, leaseRenewalMs(this.ctx.config));
    try {
      await this.handlers[item.kind](this.ctx, item, { renew, lastDelivery: message.info.deliveryCount >= this.ctx.config.MAX_DELIVER });
      settle(message, 'ack');
    } catch (error) {
      if (message.info.deliveryCount >= this.ctx.config.MAX_DELIVER) {
        log.error({ err: error }, 'repair failed on every delivery; given up');
        return settle(message, 'term');
      }
      const delay = retryDelayMs(this.ctx.config, message.info.deliveryCount);
      log.warn({ err: error, retryInMs: delay }, 'repair failed; will retry');
      settle(message, 'nak', delay);
    } finally {
      clearInterval(timer);
    }
  }
}

function safeJson(message: JsMsg): unknown {
  try {
    return message.json();
  } catch {
    return undefined;
  }
}
