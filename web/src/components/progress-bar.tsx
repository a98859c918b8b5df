import { percent } from '../lib/format';

export interface ProgressBarProps {
  /** 0..1 */
  value: number;
  label: string;
  tone?: 'active' | 'done' | 'failed' | 'muted';
  testId?: string;
  /** Indeterminate stripes while nothing is measurable yet (pending). */
  indeterminate?: boolean;
}

export function ProgressBar(props: ProgressBarProps) {
  const pct = () => percent(props.value);
  return (
    <span
      class="progress"
      classList={{ [`progress-${props.tone ?? 'active'}`]: true, 'progress-indeterminate': !!props.indeterminate }}
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={props.indeterminate ? undefined : pct()}
      aria-valuetext={props.indeterminate ? 'waiting' : `${pct()}%`}
      data-testid={props.testId}
      data-value={props.value}
    >
      <span class="progress-fill" style={{ width: props.indeterminate ? '100%' : `${pct()}%` }} />
    </span>
  );
}
