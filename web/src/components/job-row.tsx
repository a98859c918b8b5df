import { Show } from 'solid-js';
import type { Job } from '@docprocessor/contracts';
import { useStore } from '../stores/context';
import { formatBytes, formatCount, formatEta, formatRate, formatTime, percent } from '../lib/format';
import { ProgressBar } from './progress-bar';
import { StatusBadge } from './status-badge';
import { JobSummary } from './job-summary';
import { JobNotes } from './job-notes';

const TONES = {
  pending: 'muted',
  processing: 'active',
  completed: 'done',
  failed: 'failed',
  cancelled: 'muted',
  reverted: 'muted',
} as const;

/** One job: a header that toggles its summary, with live progress while it runs. */
export function JobRow(props: { job: Job }) {
  const store = useStore();
  const open = () => store.selection.id() === props.job.id;
  const fraction = () => (props.job.status === 'completed' ? 1 : props.job.progress);
  const summaryId = () => `summary-${props.job.id}`;

  return (
    <li class="job" classList={{ 'job-open': open() }} data-testid="job-row" data-job-id={props.job.id} data-status={props.job.status}>
      <button
        type="button"
        class="job-head"
        aria-expanded={open()}
        aria-controls={summaryId()}
        onClick={() => store.selection.toggle(props.job.id)}
      >
        <span class="job-title">
          <span class="job-name" title={props.job.filename}>
            {props.job.filename}
          </span>
          <StatusBadge status={props.job.status} />
        </span>
        <ProgressBar
          value={fraction()}
          label={`Progress of ${props.job.filename}`}
          tone={TONES[props.job.status]}
          indeterminate={props.job.status === 'pending'}
          testId="job-progress"
        />
        <span class="job-meta">
          <span>
            {formatCount(props.job.processedRows)}
            {props.job.totalRows != null ? ` / ${formatCount(props.job.totalRows)}` : ''} rows
          </span>
          <Show when={props.job.failedRows > 0}>
            <span class="meta-failed">{formatCount(props.job.failedRows)} failed</span>
          </Show>
          <Show when={props.job.status === 'processing'}>
            <span>{percent(fraction())}%</span>
            <Show when={props.job.rowsPerSecond != null}>
              <span>{formatRate(props.job.rowsPerSecond)}</span>
            </Show>
            <Show when={props.job.etaSeconds != null}>
              <span>ETA {formatEta(props.job.etaSeconds)}</span>
            </Show>
          </Show>
          <span class="meta-quiet">
            {props.job.template} · {formatBytes(props.job.sizeBytes)} · {formatTime(props.job.createdAt)}
          </span>
        </span>
        <JobNotes job={props.job} />
      </button>
      <Show when={open()}>
        <JobSummary job={props.job} id={summaryId()} />
      </Show>
    </li>
  );
}
