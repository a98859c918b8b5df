import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { busNamesFromEnv } from '@docprocessor/contracts';
import { connectBus, ensureTopology, type Bus } from '@docprocessor/bus';
import { createDbClient, createKeyAuthenticator } from '@docprocessor/db';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfig(process.env);
const logger = pino({
  level: config.LOG_LEVEL,
  base: { service: 'gateway' },
  redact: ['req.headers["x-api-key"]', 'req.query.apiKey', 'headers["x-api-key"]'],
});
process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));

const db = createDbClient(config.DATABASE_URL, { max: 5, applicationName: 'gateway' });
let bus: Bus | null = null;
let app: FastifyInstance | null = null;

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'shutting down: telling clients to reconnect');
  try {
    await app?.close();
    await bus?.close();
    await db.close();
  } catch (error) {
    logger.error({ err: error }, 'shutdown was not clean');
  }
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

/** NATS may still be starting (npm start brings everything up together): wait for it instead of dying. */
async function connectWhenReachable(): Promise<Bus> {
  for (let attempt = 1; ; attempt++) {
    let candidate: Bus | null = null;
    try {
      candidate = await connectBus({ servers: config.NATS_URL, names: busNamesFromEnv(config), connectionName: 'gateway' });
      await ensureTopology(candidate, { updateConsumer: false });
      return candidate;
    } catch (error) {
      await candidate?.close().catch(() => undefined);
      logger.warn({ err: error, attempt, servers: config.NATS_URL }, 'NATS is not reachable yet; trying again in 2 s');
      await sleep(2000);
    }
  }
}

bus = await connectWhenReachable();
void (async () => {
  // After this, the client reconnects by itself forever; the subscription comes back with it.
  for await (const status of bus.nc.status()) logger.info({ nats: status.type }, 'nats connection status');
})().catch((error: unknown) => logger.warn({ err: error }, 'nats status watch ended'));

const authenticate = createKeyAuthenticator(config.API_KEYS, {
  db: db.db,
  onError: (err, { keyId }) => logger.warn({ err, keyId }, 'could not record API key use'),
});
app = await buildApp({ config, bus, db: db.db, authenticate, logger });
await app.listen({ host: config.HOST, port: config.WEB_PORT });
const shownHost = ['0.0.0.0', '::'].includes(config.HOST) ? 'localhost' : config.HOST;
logger.info({ url: `http://${shownHost}:${config.WEB_PORT}`, ingest: config.INGEST_URL, webDist: config.WEB_DIST }, 'gateway listening');
