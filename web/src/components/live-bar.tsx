import { Show } from 'solid-js';
import type { Job } from '@docprocessor/contracts';
import { formatCount, formatEta, formatRate, percent } from '../lib/format';
import { ProgressBar } from './progress-bar';
import { STATUS_TONES } from './status-badge';

/** The job's progress as it happens: percent of the file read, rows per second and time left, from its events. */
export function LiveBar(props: { job: Job }) {
  const fraction = () => (props.job.status === 'completed' ? 1 : props.job.progress);
  return (
    <div class="live-bar" data-testid="live-bar" data-status={props.job.status}>
      <ProgressBar
        value={fraction()}
        label={`Progress of ${props.job.filename}`}
        tone={STATUS_TONES[props.job.status]}
        indeterminate={props.job.status === 'pending'}
        testId="live-progress"
      />
      <dl class="live-figures">
        <div>
          <dt>Read</dt>
          <dd data-testid="live-percent">{percent(fraction())}%</dd>
        </div>
        <div>
          <dt>Rows</dt>
          <dd>
            {formatCount(props.job.processedRows)}
            <Show when={props.job.totalRows != null}> / {formatCount(props.job.totalRows)}</Show>
          </dd>
        </div>
        <div>
          <dt>Speed</dt>
          <dd data-testid="live-rate">{props.job.status === 'processing' ? formatRate(props.job.rowsPerSecond) : '—'}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd data-testid="live-eta">{props.job.status === 'processing' ? formatEta(props.job.etaSeconds) : '—'}</dd>
        </div>
      </dl>
    </div>
  );
}
