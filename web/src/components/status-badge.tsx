import type { JobStatus } from '@docprocessor/contracts';
import { statusLabel } from '../lib/format';

export function StatusBadge(props: { status: JobStatus }) {
  return (
    <span class={`badge badge-${props.status}`} data-status={props.status}>
      {statusLabel(props.status)}
    </span>
  );
}
