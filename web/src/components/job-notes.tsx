import { Show } from 'solid-js';
import type { Job } from '@docprocessor/contracts';

/** Things about a job that are easy to miss: a dry run or its import, resumed or retried, or a repeat of an earlier file. */
export function JobNotes(props: { job: Job }) {
  const resumed = () => props.job.resumedFromRow != null || props.job.attempt > 1;
  return (
    <Show when={resumed() || props.job.duplicateOf || props.job.dryRun || props.job.dryRunOf}>
      <span class="job-notes">
        <Show when={props.job.dryRun}>
          <span class="note note-info" data-testid="job-dry-run">
            Dry run
          </span>
        </Show>
        <Show when={props.job.dryRunOf}>
          {(of) => (
            <span class="note note-info" data-testid="job-dry-run-of" title={of()}>
              Import of dry run {of().slice(0, 8)}
            </span>
          )}
        </Show>
        <Show when={resumed()}>
          <span
            class="note note-info"
            data-testid="job-resumed"
            title={props.job.resumedFromRow != null ? `Rows up to ${props.job.resumedFromRow} were kept from the earlier run` : undefined}
          >
            {props.job.resumedFromRow != null
              ? `Resumed at row ${props.job.resumedFromRow} (attempt ${props.job.attempt})`
              : `Attempt ${props.job.attempt}`}
          </span>
        </Show>
        <Show when={props.job.duplicateOf}>
          {(other) => (
            <span class="note note-warn" data-testid="job-duplicate" title={other()}>
              Same file as job {other().slice(0, 8)}
            </span>
          )}
        </Show>
      </span>
    </Show>
  );
}
