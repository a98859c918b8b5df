import type { Logger } from 'pino';
import { allEventsSubject, ImportEvent } from '@docprocessor/contracts';
import { TENANT_HEADER, type Bus } from '@docprocessor/bus';
import { DEFAULT_TENANT } from '@docprocessor/db';
import type { GatewayMetrics } from './metrics.js';

/** Someone who wants the live events of one tenant. deliver() must not block: the fan-out loop never awaits a client. */
export interface FanoutClient {
  readonly tenantId: string;
  /** `raw` is the event's JSON text as published, serialised once for every client. */
  deliver(event: ImportEvent, raw: string): void;
}

type Subscription = ReturnType<Bus['nc']['subscribe']>;
type Message = Parameters<NonNullable<NonNullable<Parameters<Bus['nc']['subscribe']>[1]>['callback']>>[1];

export interface FanoutOptions {
  bus: Bus;
  logger: Logger;
  metrics: GatewayMetrics;
}

/**
 * One core NATS subscription on every event subject, fanned out to the connected clients of the event's tenant.
 * Live only: history stays in the JetStream stream, and clients catch up from a database snapshot instead.
 */
export class Fanout {
  private readonly byTenant = new Map<string, Set<FanoutClient>>();
  private subscription: Subscription | null = null;

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
    const clients = this.byTenant.get(tenantId);
    if (!clients) return;
    for (const client of clients) {
      try {
        client.deliver(parsed.data, raw);
      } catch (error) {
        logger.error({ err: error, jobId: parsed.data.jobId }, 'delivering an event to a client failed');
      }
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
