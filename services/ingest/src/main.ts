import closeWithGrace from 'close-with-grace';
import { pino } from 'pino';
import { busNamesFromEnv } from '@docprocessor/contracts';
import { connectBus, ensureTopology, FileStore } from '@docprocessor/bus';
import { createDbClient, createKeyAuthenticator } from '@docprocessor/db';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

const config = loadConfig(process.env);
const logger = pino({
  level: config.LOG_LEVEL,
  base: { service: 'ingest' },
  redact: ['req.headers["x-api-key"]', 'req.headers.authorization'],
  // Paths only: a query string is the client's to fill and may hold things that must not reach a log.
  serializers: {
    req: (req: { method: string; url: string; id: string }) => ({ id: req.id, method: req.method, path: req.url.split('?', 1)[0] }),
  },
});
process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));

const db = createDbClient(config.DATABASE_URL, { max: 10, applicationName: 'ingest' });
const busOptions = { servers: config.NATS_URL, names: busNamesFromEnv(config), connectionName: 'ingest', replicas: config.NATS_REPLICAS };
const bus = await connectBus(busOptions);
await ensureTopology(bus, { updateConsumer: false });
const files = await FileStore.open(bus);
const authenticate = createKeyAuthenticator(config.API_KEYS, {
  db: db.db,
  onError: (err, { keyId }) => logger.warn({ err, keyId }, 'could not record API key use'),
});
const app = await buildApp({ ctx: { config, db, bus, files, logger }, authenticate });
closeWithGrace({ logger, skip: ['unhandledRejection'] }, async ({ signal, err }) => {
  if (err) logger.error({ err }, 'uncaught exception');
  logger.info({ signal }, 'shutting down');
  await app.close();
  await bus.close();
  await db.close();
});

await app.listen({ host: config.INGEST_HOST, port: config.INGEST_PORT });
