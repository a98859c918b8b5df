import type { Logger } from 'pino';
import type { Bus, FileStore } from '@docprocessor/bus';
import type { DbClient } from '@docprocessor/db';
import type { IngestConfig } from '../config.js';

/** Everything a domain verb of the ingest service may touch, built once in main and passed in. */
export interface IngestContext {
  config: IngestConfig;
  db: DbClient;
  bus: Bus;
  files: FileStore;
  logger: Logger;
}
