import { Show } from 'solid-js';
import type { Job } from '@docprocessor/contracts';
import { formatCount } from '../lib/format';
import { isReverting, revertProgress, runningFix } from '../lib/repair';

/**
 * Things about a job that are easy to miss: a dry run or its import, resumed or retried, a repeat of an earlier
 * file, and repair work going on while its status stays (a revert, a fix).
 */
export function JobNotes(props: { job: Job }) {
  const resumed = () => props.job.resumedFromRow != null || props.job.attempt > 1;
  const reverting = () => isReverting(props.job);
  const fixing = () => runningFix(props.job);
  return (
    <Show when={resumed() || props.job.duplicateOf || props.job.dryRun || props.job.dryRunOf || reverting() || fixing()}>
      <span class="job-notes">
        <Show when={reverting()}>
          <span class="note note-warn" data-testid="job-reverting">
            {revertProgress(props.job)
              ? `Reverting ${formatCount(revertProgress(props.job)!.done)} / ${formatCount(revertProgress(props.job)!.total)} rows`
              : 'Reverting…'}
          </span>
        </Show>
        <Show when={fixing()}>
          <span class="note note-info" data-testid="job-fixing">
            Importing fixes
          </span>
        </Show>
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
