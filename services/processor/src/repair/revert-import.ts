import type { RepairHandler } from '../work/repair-consumer.js';

/** Takes an import back: deletes the rows it inserted, restores the rows it updated, then ends the job `reverted`. */
export const revertImport: RepairHandler = async (_ctx, item) => {
  throw new Error(`revert of ${item.jobId} is not built yet`);
};
