import { createServer } from 'node:http';
import { pino } from 'pino';
import { busNamesFromEnv } from '@docprocessor/contracts';
import { connectBus, ensureTopology, FileStore, type Bus } from '@docprocessor/bus';
import { createDbClient } from '@docprocessor/db';
import { loadConfig } from './config.js';
import { WorkConsumer } from './work/consume.js';
import { withJobConnections } from './job-connections.js';
import { createMetrics } from './metrics.js';
import { Watchdog } from './work/watchdog.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const config = loadConfig(process.env);
const logger = pino({ level: config.LOG_LEVEL, base: { service: 'processor', pid: process.pid } });
process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));

const db = createDbClient(config.DATABASE_URL, { max: config.PROCESSOR_CONCURRENCY * 2 + 2, applicationName: 'processor' });

/** NATS may be restarting while this worker starts: wait for it instead of dying. */
async function connectWhenReachable(): Promise<{ bus: Bus; files: FileStore }> {
  for (let attempt = 1; ; attempt++) {
    let candidate: Bus | null = null;
    try {
      candidate = await connectBus({ servers: config.NATS_URL, names: busNamesFromEnv(config), connectionName: `processor-${process.pid}` });
      // One delivery beyond MAX_DELIVER: the worker that gets it never runs the job, it only gives the item up.
      await ensureTopology(candidate, { ackWaitMs: config.ACK_WAIT_MS, maxDeliver: config.MAX_DELIVER + 1 });
      return { bus: candidate, files: await FileStore.open(candidate) };
    } catch (error) {
      await candidate?.close().catch(() => undefined);
      logger.warn({ err: error, attempt, servers: config.NATS_URL }, 'NATS is not reachable yet; trying again in 2 s');
      await sleep(2000);
    }
  }
}

const { bus, files } = await connectWhenReachable();
void (async () => {
  for await (const status of bus.nc.status()) if (status.type !== 'ping') logger.info({ nats: status.type }, 'nats connection status');
})().catch((error: unknown) => logger.warn({ err: error }, 'nats status watch ended'));
const metrics = createMetrics();
const ctx = { config, db: withJobConnections(db, config.DATABASE_URL, 'processor'), bus, files, logger, metrics };
const consumer = new WorkConsumer(ctx);
await consumer.start();
const watchdog = new Watchdog(ctx);
watchdog.start();
logger.info({ concurrency: config.PROCESSOR_CONCURRENCY, batchRows: config.PROCESSOR_BATCH_ROWS }, 'processor ready');

const metricsServer =
  config.PROCESSOR_METRICS_PORT === undefined
    ? null
    : createServer((request, response) => {
        if (request.url !== '/metrics') return void response.writeHead(404).end();
        metrics.registry.metrics().then(
          (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
          (error: unknown) => response.writeHead(500).end(String(error)),
        );
      }).listen(config.PROCESSOR_METRICS_PORT, '127.0.0.1');

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'finishing current jobs, then stopping');
  metricsServer?.close();
  await Promise.all([consumer.stop(), watchdog.stop()]);
  // With NATS or the database away, closing could wait forever: the job is handed back already.
  await Promise.race([Promise.all([bus.close(), db.close()]), sleep(5000)]).catch((error: unknown) => logger.warn({ err: error }, 'shutdown was not clean'));
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
