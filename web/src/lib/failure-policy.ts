import { MaxErrorRate, MaxErrors } from '@docprocessor/contracts';
import type { FailurePolicy } from '../api/upload-form';

/** The "If rows fail" options as typed: the rate as a percent, empty meaning no limit. */
export interface FailureDraft {
  maxErrors: string;
  maxErrorPercent: string;
  atomic: boolean;
}

export type FailureDraftErrors = Partial<Record<'maxErrors' | 'maxErrorPercent', string>>;

export const emptyFailureDraft = (): FailureDraft => ({ maxErrors: '', maxErrorPercent: '', atomic: false });

/** Judges the draft by the contract's own bounds; the policy holds only what was set, the rate as a fraction. */
export function readFailureDraft(draft: FailureDraft): { policy: FailurePolicy; errors: FailureDraftErrors } {
  const policy: FailurePolicy = {};
  const errors: FailureDraftErrors = {};
  const count = draft.maxErrors.trim();
  if (count !== '') {
    const parsed = MaxErrors.safeParse(Number(count));
    if (parsed.success) policy.maxErrors = parsed.data;
    else errors.maxErrors = 'Give a whole number of rows, 0 or more (0 stops at the first failed row), or leave it empty.';
  }
  const percent = draft.maxErrorPercent.trim();
  if (percent !== '') {
    // Four decimals of a percent is finer than any file needs, and keeps 7 % from becoming 0.07000000000000001.
    const parsed = MaxErrorRate.safeParse(Math.round(Number(percent) * 10_000) / 1_000_000);
    if (parsed.success) policy.maxErrorRate = parsed.data;
    else errors.maxErrorPercent = 'Give a percentage from 0 to 100, or leave it empty.';
  }
  if (draft.atomic) policy.atomic = true;
  return { policy, errors };
}

/** "stop after 10 failed rows · stop above 2.5 % failed · all or nothing", or null when nothing was set. */
export function describeFailurePolicy(policy: { maxErrors: number | null; maxErrorRate: number | null; atomic: boolean }): string | null {
  const parts = [
    policy.maxErrors != null ? `stop after ${policy.maxErrors} failed ${policy.maxErrors === 1 ? 'row' : 'rows'}` : null,
    policy.maxErrorRate != null ? `stop above ${Math.round(policy.maxErrorRate * 1_000_000) / 10_000} % failed` : null,
    policy.atomic ? 'all or nothing' : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(' · ') : null;
}
