import closeWithGrace from 'close-with-grace';
import { pino } from 'pino';
import { loadConfig } from './config.js';
import { startWorker, type Worker } from './start-worker.js';

const config = loadConfig(process.env);
const logger = pino({ level: config.LOG_LEVEL, base: { service: 'processor', pid: process.pid } });
process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));

let worker: Worker | undefined;
// Past its lease a job moves to another worker anyway, so a batch that cannot finish by then is not waited for.
closeWithGrace({ delay: config.ACK_WAIT_MS, logger, skip: ['unhandledRejection'] }, async ({ signal, err }) => {
  if (err) logger.error({ err }, 'uncaught exception');
  logger.info({ signal }, 'finishing current jobs, then stopping');
  await worker?.stop();
});

worker = await startWorker(config, logger);
logger.info(
  { concurrency: config.PROCESSOR_CONCURRENCY, smallFileSlots: config.SMALL_FILE_SLOTS, batchRows: config.PROCESSOR_BATCH_ROWS },
  'processor ready',
);
