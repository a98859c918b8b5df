import type { Logger } from 'pino';
import type { Bus, FileStore } from '@docprocessor/bus';
import type { DbClient } from '@docprocessor/db';
import type { ProcessorConfig } from './config.js';
import type { ProcessorMetrics } from './metrics.js';

export interface ProcessorContext {
  config: ProcessorConfig;
  db: DbClient;
  bus: Bus;
  files: FileStore;
  logger: Logger;
  metrics: ProcessorMetrics;
}
