import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { busNamesFromEnv } from '@docprocessor/contracts';
import { connectBus, ensureTopology, type Bus } from '@docprocessor/bus';
import type { GatewayConfig } from './config.js';

/** NATS may still be starting (npm start brings everything up together): wait for it instead of dying. */
export async function connectWhenReachable(config: GatewayConfig, logger: Logger): Promise<Bus> {
  for (let attempt = 1; ; attempt++) {
    let candidate: Bus | null = null;
    try {
      candidate = await connectBus({ servers: config.NATS_URL, names: busNamesFromEnv(config), connectionName: 'gateway' });
      await ensureTopology(candidate, { updateConsumer: false });
      watchStatus(candidate, logger);
      return candidate;
    } catch (error) {
      await candidate?.close().catch(() => undefined);
      logger.warn({ err: error, attempt, servers: config.NATS_URL }, 'NATS is not reachable yet; trying again in 2 s');
      await sleep(2000);
    }
  }
}

/** After the first connect the client reconnects by itself forever; the subscription comes back with it. */
function watchStatus(bus: Bus, logger: Logger): void {
  void (async () => {
    for await (const status of bus.nc.status()) logger.info({ nats: status.type }, 'nats connection status');
  })().catch((error: unknown) => logger.warn({ err: error }, 'nats status watch ended'));
}
