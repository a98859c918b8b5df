import { isTerminal, type Job, type JobFix, type RevertPlan } from '@docprocessor/contracts';
import { formatCount } from './format';

/** A revert was asked for and has not finished: the status stays as it was until `reverted`. */
export const isReverting = (job: Job): boolean => job.revert !== null && job.status !== 'reverted';

/** Final, real (a dry run wrote nothing), and not taken back or being taken back. */
export const canRevert = (job: Job): boolean => isTerminal(job.status) && job.status !== 'reverted' && !job.dryRun && job.revert === null;

/** The fix still being imported into the job, if any. */
export const runningFix = (job: Job): JobFix | undefined =>
  job.fixes.find((fix) => fix.status === 'pending' || fix.status === 'processing');

/** A completed real import with failed rows, not being reverted: its failed rows can be corrected in place. */
export const canFix = (job: Job): boolean => job.status === 'completed' && !job.dryRun && job.failedRows > 0 && job.revert === null;

/** Fixes that are over: each one changes which rows failed. */
export const settledFixes = (job: Job): number => job.fixes.filter((fix) => fix.status === 'completed' || fix.status === 'failed').length;

const rows = (n: number): string => `${formatCount(n)} ${n === 1 ? 'row' : 'rows'}`;

/** "Deletes 1,200 rows this import added and restores 300 rows it changed." */
export function describeRevertPlan(plan: RevertPlan): string {
  if (plan.toDelete === 0 && plan.toRestore === 0) return 'This import left no rows in the table: reverting only marks it as reverted.';
  if (plan.toRestore === 0) return `Deletes ${rows(plan.toDelete)} this import added.`;
  if (plan.toDelete === 0) return `Restores ${rows(plan.toRestore)} this import changed to their earlier values.`;
  return `Deletes ${rows(plan.toDelete)} this import added and restores ${rows(plan.toRestore)} it changed.`;
}

/** How far a revert got: done of toDelete + toRestore, or null while they are being counted. */
export function revertProgress(job: Job): { done: number; total: number } | null {
  const revert = job.revert;
  if (!revert || revert.toDelete === null || revert.toRestore === null) return null;
  return { done: revert.done, total: revert.toDelete + revert.toRestore };
}
