import type { RepairHandler } from '../work/repair-consumer.js';

/** Imports a correction of a job's failed rows into the same job. */
export const fixImport: RepairHandler = async (_ctx, item) => {
  throw new Error(`fix ${item.fixId} of ${item.jobId} is not built yet`);
};
