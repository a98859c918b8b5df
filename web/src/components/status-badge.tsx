import type { JobStatus } from '@docprocessor/contracts';
import { statusLabel } from '../lib/format';

/** The colour of a status's progress bar. */
export const STATUS_TONES = {
  pending: 'muted',
  processing: 'active',
  completed: 'done',
  failed: 'failed',
  cancelled: 'muted',
  reverted: 'muted',
} as const satisfies Record<JobStatus, 'muted' | 'active' | 'done' | 'failed'>;

export function StatusBadge(props: { status: JobStatus }) {
  return (
    <span class={`badge badge-${props.status}`} data-status={props.status}>
      {statusLabel(props.status)}
    </span>
  );
}
