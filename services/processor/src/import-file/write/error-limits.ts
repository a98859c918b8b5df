import type { BatchTotals } from '@docprocessor/db';

/** An import's error thresholds (the upload's, else its template's); null: no limit. */
export interface ErrorLimits {
  maxErrors: number | null;
  maxErrorRate: number | null;
}

const percent = (share: number) => `${(share * 100).toFixed(share < 0.01 ? 2 : 1)}%`;

/** Why these totals are past a threshold, said for a person, or null when they are within every one. */
export function limitPassed(limits: ErrorLimits, totals: Pick<BatchTotals, 'processed' | 'failed'>): string | null {
  const { processed, failed } = totals;
  if (limits.maxErrors !== null && failed > limits.maxErrors)
    return `Stopped after ${failed} of ${processed} rows read failed: more than maxErrors (${limits.maxErrors})`;
  if (limits.maxErrorRate !== null && processed > 0 && failed / processed > limits.maxErrorRate)
    return (
      `Stopped after ${failed} of ${processed} rows read failed (${percent(failed / processed)}): ` +
      `more than maxErrorRate (${percent(limits.maxErrorRate)})`
    );
  return null;
}
