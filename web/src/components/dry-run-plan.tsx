import { createSignal, Show } from 'solid-js';
import type { Job } from '@docprocessor/contracts';
import { messageOf } from '../stores/app';
import { useStore } from '../stores/context';
import { GatedButton } from './role-reason';

/** A dry run's verdict: what a real run would do to the table, and the button that does it without a new upload. */
export function DryRunPlan(props: { job: Job }) {
  const store = useStore();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const committedAs = () => store.jobs.list().find((j) => j.dryRunOf === props.job.id);

  async function commit(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await store.commit(props.job.id);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    // biome-ignore lint/a11y/useSemanticElements: a group of figures, not form controls, so no fieldset.
    <div class="plan" data-testid="dry-run-plan" role="group" aria-label="Dry run">
      <p class="plan-title">Dry run: nothing was written to the table.</p>
      <Show
        when={props.job.plan}
        fallback={
          <p class="muted">{props.job.status === 'completed' ? 'No plan was reported.' : 'The plan is ready when the check finishes.'}</p>
        }
      >
        {(plan) => (
          <p data-testid="summary-plan">
            Would insert <strong data-testid="plan-insert">{plan().insert}</strong>, update{' '}
            <strong data-testid="plan-update">{plan().update}</strong>, leave{' '}
            <strong data-testid="plan-unchanged">{plan().unchanged}</strong> unchanged
            {props.job.failedRows > 0
              ? `; ${props.job.failedRows} ${props.job.failedRows === 1 ? 'row' : 'rows'} would fail (below).`
              : '.'}
          </p>
        )}
      </Show>
      <Show when={props.job.status === 'completed'}>
        <Show
          when={committedAs()}
          fallback={
            <div class="actions">
              <GatedButton action="commit" class="button-primary" testId="job-commit" disabled={busy()} onClick={commit}>
                {busy() ? 'Starting…' : 'Import for real'}
              </GatedButton>
            </div>
          }
        >
          {(job) => (
            <p class="muted" data-testid="job-committed" title={job().id}>
              Imported for real as job {job().id.slice(0, 8)} ({job().status}).
            </p>
          )}
        </Show>
      </Show>
      <Show when={error()}>
        <p class="action-error" role="alert">
          {error()}
        </p>
      </Show>
    </div>
  );
}
