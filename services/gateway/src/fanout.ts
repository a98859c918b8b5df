import type { Logger } from 'pino';
import { allEventsSubject, ImportEvent } from '@docprocessor/contracts';
import { TENANT_HEADER, type Bus } from '@docprocessor/bus';
import { DEFAULT_TENANT } from '@docprocessor/db';
import type { GatewayMetrics } from './metrics.js';
import type { QueuedEvent } from './ws/latest-per-job.js';

/** Someone who wants the live events of one tenant. deliver() must not block: the fan-out loop never awaits a client. */
export interface FanoutClient {
  readonly tenantId: string;
  /** `item.raw` is the event's JSON as published, encoded once for every client. True when it was sent right away. */
  deliver(item: QueuedEvent): boolean;
}

type Subscription = ReturnType<Bus['nc']['subscribe']>;
interface TenantEvent extends QueuedEvent {
  tenantId: string;
}

type Message = Parameters<NonNullable<NonNullable<Parameters<Bus['nc']['subscribe']>[1]>['callback']>>[1];

export interface FanoutOptions {
  bus: Bus;
  logger: Logger;
  metrics: GatewayMetrics;
}

/**
 * One core NATS subscription on every event subject, fanned out to the connected clients of the event's tenant.
 * Live only: history stays in the JetStream stream, and clients catch up from a database snapshot instead.
 * Each event is encoded once for every client, and every event reaches every client of its tenant (the contract's rule).
 */
export class Fanout {
  private readonly byTenant = new Map<string, Set<FanoutClient>>();
  private subscription: Subscription | null = null;
  /** The events of the NATS read being dispatched: sent together once the read's messages have all been parsed. */
  private batch: TenantEvent[] = [];
  private batchStarted = 0;

  constructor(private readonly options: FanoutOptions) {}

  start(): void {
    if (this.subscription) return;
    const { bus, logger } = this.options;
    this.subscription = bus.nc.subscribe(allEventsSubject(bus.names), {
      callback: (error, message) => {
        if (error) logger.error({ err: error }, 'event subscription failed');
        else this.onMessage(message);
      },
    });
  }

  add(client: FanoutClient): void {
    let clients = this.byTenant.get(client.tenantId);
    if (!clients) this.byTenant.set(client.tenantId, (clients = new Set()));
    clients.add(client);
  }

  remove(client: FanoutClient): void {
    const clients = this.byTenant.get(client.tenantId);
    clients?.delete(client);
    if (clients?.size === 0) this.byTenant.delete(client.tenantId);
  }

  stop(): void {
    if (this.subscription && !this.subscription.isClosed()) this.subscription.unsubscribe();
    this.subscription = null;
    this.byTenant.clear();
    this.batch = [];
  }

  private onMessage(message: Message): void {
    const { logger, metrics } = this.options;
    const raw = message.string();
    const parsed = ImportEvent.safeParse(parseJson(raw));
    if (!parsed.success) {
      metrics.invalidEvents.inc();
      const issue = parsed.error.issues[0];
      logger.warn({ subject: message.subject, issue: issue && `${issue.path.join('.')}: ${issue.message}` }, 'dropped an invalid event');
      return;
    }
    const tenantId = message.headers?.get(TENANT_HEADER) || DEFAULT_TENANT;
    if (!this.byTenant.has(tenantId)) return;
    // The published bytes go out as they are: every client shares one buffer, and none costs a JSON or UTF-8 pass.
    const event: TenantEvent = { event: parsed.data, raw: Buffer.from(message.data), tenantId };
    // nats.js dispatches every message of one socket read synchronously: a microtask runs once the read is done.
    if (this.batch.push(event) > 1) return;
    this.batchStarted = performance.now();
    queueMicrotask(() => this.sendBatch());
  }

  private sendBatch(): void {
    const batch = this.batch;
    this.batch = [];
    for (const item of batch) {
      this.send(item);
      this.options.metrics.fanoutSeconds.observe((performance.now() - this.batchStarted) / 1000);
    }
  }

  private send(item: TenantEvent): void {
    const clients = this.byTenant.get(item.tenantId);
    if (!clients) return;
    let sent = 0;
    for (const client of clients) {
      try {
        if (client.deliver(item)) sent++;
      } catch (error) {
        this.options.logger.error({ err: error, jobId: item.event.jobId }, 'delivering an event to a client failed');
      }
    }
    // One labelled increment per event rather than per client.
    if (sent > 0) this.options.metrics.framesSent.inc({ type: 'event' }, sent);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
