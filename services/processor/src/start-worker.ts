import { createServer, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { busNamesFromEnv, repairConsumer, webhookConsumer } from '@docprocessor/contracts';
import { connectWhenReachable, ensureTopology, FileStore, type Bus } from '@docprocessor/bus';
import { createDbClient } from '@docprocessor/db';
import type { ProcessorConfig } from './config.js';
import { WorkConsumer } from './work/consume.js';
import { smallFileLane } from './work/small-file-lane.js';
import { withJobConnections } from './job-connections.js';
import { createMetrics, type ConsumerSample, type ProcessorMetrics } from './metrics.js';
import { fixImport } from './repair/fix-import.js';
import { BeforeImageSweep } from './repair/before-image-sweep.js';
import { revertImport } from './repair/revert-import.js';
import { RepairConsumer } from './work/repair-consumer.js';
import { Watchdog } from './work/watchdog.js';
import { dropScratchOfEndedJobs } from './import-file/write/scratch-sweep.js';
import { SHADOW_TABLES } from './import-file/write/shadow-table.js';
import { UNCHANGED_KEY_TABLES } from './import-file/write/unchanged-keys.js';
import { DeliveryRecorder } from './webhooks/record-deliveries.js';
import { DeliverySender } from './webhooks/send-deliveries.js';

export interface Worker {
  /** Stops pulling, lets running jobs reach a batch boundary and hands them back, then closes the connections. */
  stop(): Promise<void>;
}

/**
 * One processor: its connections, the consumers of imports (shared and small-file lane) and repairs, the watchdog, the webhook recorder and
 * sender, and, if PROCESSOR_METRICS_PORT is set, /metrics.
 */
export async function startWorker(config: ProcessorConfig, logger: Logger): Promise<Worker> {
  const db = createDbClient(config.DATABASE_URL, {
    max: (config.PROCESSOR_CONCURRENCY + config.SMALL_FILE_SLOTS) * 2 + 2 + config.WEBHOOK_CONCURRENCY,
    applicationName: 'processor',
  });
  const busOptions = {
    servers: config.NATS_URL,
    names: busNamesFromEnv(config),
    connectionName: `processor-${process.pid}`,
    replicas: config.NATS_REPLICAS,
  };
  const { bus, prepared: files } = await connectWhenReachable(busOptions, logger, async (candidate) => {
    // One delivery beyond MAX_DELIVER: the worker that gets it never runs the job, it only gives the item up.
    await ensureTopology(candidate, { ackWaitMs: config.ACK_WAIT_MS, maxDeliver: config.MAX_DELIVER + 1 });
    return FileStore.open(candidate);
  });
  const metrics = createMetrics();
  metrics.sampleConsumers = () => sampleConsumers(bus, logger);
  const ctx = { config, db: withJobConnections(db, config.DATABASE_URL, 'processor'), bus, files, logger, metrics };
  await dropScratchOfEndedJobs(db.sql, [SHADOW_TABLES, UNCHANGED_KEY_TABLES]).then(
    (dropped) => dropped > 0 && logger.info({ dropped }, 'scratch tables (shadows, unchanged keys) of jobs ended by other workers dropped'),
    (error: unknown) => logger.warn({ err: error }, 'scratch tables of ended jobs not dropped; trying again at the next start'),
  );
  const consumer = new WorkConsumer(ctx);
  await consumer.start();
  const smallFiles = new WorkConsumer(ctx, smallFileLane(ctx));
  await smallFiles.start();
  const repairs = new RepairConsumer(ctx, { revert: revertImport, fix: fixImport });
  await repairs.start();
  const watchdog = new Watchdog(ctx);
  watchdog.start();
  const retention = new BeforeImageSweep(ctx);
  retention.start();
  const sender = new DeliverySender(ctx);
  sender.start();
  const recorder = new DeliveryRecorder(ctx, () => sender.poke());
  await recorder.start();
  const metricsServer = config.PROCESSOR_METRICS_PORT === undefined ? null : serveMetrics(metrics, config.PROCESSOR_METRICS_PORT);
  return {
    async stop() {
      metricsServer?.close();
      await Promise.all([
        consumer.stop(),
        smallFiles.stop(),
        repairs.stop(),
        watchdog.stop(),
        retention.stop(),
        recorder.stop(),
        sender.stop(),
      ]);
      // With NATS or the database away, closing could wait forever: the jobs are handed back already.
      await Promise.race([Promise.all([bus.close(), db.close()]), sleep(5000)]);
    },
  };
}

function serveMetrics(metrics: ProcessorMetrics, port: number): Server {
  return createServer((request, response) => {
    if (request.url !== '/metrics') return void response.writeHead(404).end();
    metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  }).listen(port, '127.0.0.1');
}

/** The three durable consumers' backlog, read at a scrape; a consumer NATS cannot describe now is left out, and logged. */
async function sampleConsumers(bus: Bus, logger: Logger): Promise<ConsumerSample[]> {
  const names = [bus.names.consumer, repairConsumer(bus.names), webhookConsumer(bus.names)];
  const samples = await Promise.all(
    names.map((consumer) =>
      bus.jsm.consumers.info(bus.names.stream, consumer).then(
        (info) => ({ consumer, pending: info.num_pending, ackPending: info.num_ack_pending, redelivered: info.num_redelivered }),
        (error: unknown) => {
          logger.warn({ err: error, consumer }, 'consumer info not available for the metrics');
          return null;
        },
      ),
    ),
  );
  return samples.filter((sample) => sample !== null);
}
