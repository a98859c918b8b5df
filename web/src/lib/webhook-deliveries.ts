import type { JobDeliveryList, JobWebhookDelivery } from '@docprocessor/contracts';

/**
 * A job's events become deliveries a moment after they are published, later on a busy machine: looks this long
 * after each change of the job's status. Three, because a look that comes before the recording would otherwise be
 * the last one; bounded, because a change no webhook wanted never becomes a delivery.
 */
export const AFTER_STATUS_CHANGE_MS = [1000, 3000, 10_000] as const;
/** Progress events come every second or faster: their deliveries are looked at no more often than this. */
export const AFTER_PROGRESS_MS = 5000;
/** Never two looks closer than this, however many deliveries fall due. */
const MIN_GAP_MS = 2000;
/** A due attempt is sent and recorded within moments; look just after. */
const AFTER_ATTEMPT_MS = 500;

/**
 * The looks still ahead after a status change at `changedAt`: all of them for a change seen now, the rest for a view
 * opened a moment after the change (the summary that opens when its job completes). A server clock ahead of the
 * browser's counts as now.
 */
export function looksAfterChange(changedAt: number, now: number): number[] {
  const from = Math.min(changedAt, now);
  return AFTER_STATUS_CHANGE_MS.map((ms) => from + ms).filter((at) => at > now);
}

/**
 * When the list may have changed without the job changing: the earliest next attempt of a pending delivery (its
 * outcome will be recorded then), never sooner than MIN_GAP_MS from now; null when nothing is pending.
 */
export function nextLookAt(list: JobDeliveryList, now: number): number | null {
  const due = list.items.flatMap((d) => (d.status === 'pending' && d.nextAttemptAt ? [Date.parse(d.nextAttemptAt)] : []));
  if (due.length === 0) return null;
  return Math.max(Math.min(...due) + AFTER_ATTEMPT_MS, now + MIN_GAP_MS);
}

/** The receiver's last answer as a person reads it: its HTTP status, or why it could not be reached. */
export function lastResponse(delivery: JobWebhookDelivery): { code: number | null; text: string } {
  const last = delivery.attempts.at(-1);
  if (!last) return { code: null, text: 'not sent yet' };
  if (last.responseStatus !== null) return { code: last.responseStatus, text: String(last.responseStatus) };
  return { code: null, text: last.error ?? 'no answer' };
}

export const DELIVERY_STATUS_LABELS: Record<JobWebhookDelivery['status'], string> = {
  pending: 'Pending',
  delivered: 'Delivered',
  dead: 'Given up',
};
