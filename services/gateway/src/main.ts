import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { busNamesFromEnv } from '@docprocessor/contracts';
import { connectWhenReachable, ensureTopology, type Bus } from '@docprocessor/bus';
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
let bus: Bus | undefined;
let app: FastifyInstance | undefined;
// Installed before NATS is reached, so a signal while waiting for it stops the wait. Closing the app says 1012.
closeWithGrace({ logger, skip: ['unhandledRejection'] }, async ({ signal, err }) => {
  if (err) logger.error({ err }, 'uncaught exception');
  logger.info({ signal }, 'shutting down: telling clients to reconnect');
  await app?.close();
  await bus?.close();
  await db.close();
});

const busOptions = { servers: config.NATS_URL, names: busNamesFromEnv(config), connectionName: 'gateway', replicas: config.NATS_REPLICAS };
({ bus } = await connectWhenReachable(busOptions, logger, (candidate) => ensureTopology(candidate, { updateConsumer: false })));
const authenticate = createKeyAuthenticator(config.API_KEYS, {
  db: db.db,
  onError: (err, { keyId }) => logger.warn({ err, keyId }, 'could not record API key use'),
});
app = await buildApp({ config, bus, db, authenticate, logger });
await app.listen({ host: config.HOST, port: config.WEB_PORT });
const shownHost = ['0.0.0.0', '::'].includes(config.HOST) ? 'localhost' : config.HOST;
logger.info({ url: `http://${shownHost}:${config.WEB_PORT}`, ingest: config.INGEST_URL, webDist: config.WEB_DIST }, 'gateway listening');
