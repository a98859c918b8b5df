import { createSignal, For, Match, Show, Switch } from 'solid-js';
import type { Job, RevertPlan } from '@docprocessor/contracts';
import { formatCount } from '../lib/format';
import { canRevert, describeRevertPlan, isReverting, revertProgress } from '../lib/repair';
import { messageOf } from '../stores/app';
import { useStore } from '../stores/context';
import { ProgressBar } from './progress-bar';
import { GatedButton } from './role-reason';

type Step = { name: 'idle' } | { name: 'planning' } | { name: 'confirm'; plan: RevertPlan } | { name: 'sending'; plan: RevertPlan };

/**
 * Taking an import back: "Revert…" asks the server what it would do (changing nothing), the person confirms what
 * they read, then the revert's progress arrives live on the job until it is `reverted`.
 */
export function RevertPanel(props: { job: Job }) {
  const store = useStore();
  const [step, setStep] = createSignal<Step>({ name: 'idle' });
  const [error, setError] = createSignal<string | null>(null);
  let yesButton: HTMLButtonElement | undefined;
  let noButton: HTMLButtonElement | undefined;
  const plan = () => {
    const s = step();
    return s.name === 'confirm' || s.name === 'sending' ? s.plan : null;
  };
  const blocked = () => {
    const p = plan();
    return !p || p.expired || p.conflicts.length > 0;
  };

  async function ask(): Promise<void> {
    setError(null);
    setStep({ name: 'planning' });
    try {
      setStep({ name: 'confirm', plan: await store.api.revertPlan(props.job.id) });
      queueMicrotask(() => (blocked() ? noButton : yesButton)?.focus());
    } catch (e) {
      setStep({ name: 'idle' });
      setError(messageOf(e));
    }
  }

  function keep(): void {
    setStep({ name: 'idle' });
    setError(null);
  }

  async function confirm(): Promise<void> {
    const p = plan();
    if (!p) return;
    setError(null);
    setStep({ name: 'sending', plan: p });
    try {
      await store.revert(props.job.id);
      setStep({ name: 'idle' });
    } catch (e) {
      // 409 revert_conflict / revert_expired / invalid_state: the server's message says why, as is.
      setStep({ name: 'confirm', plan: p });
      setError(messageOf(e));
    }
  }

  return (
    <Show when={canRevert(props.job) || isReverting(props.job) || props.job.status === 'reverted' || error()}>
      <section class="repair" classList={{ 'repair-confirm': !!plan() }} aria-label="Revert" data-testid="revert-panel">
        <Switch>
          <Match when={props.job.status === 'reverted'}>
            <p data-testid="revert-done">
              Reverted: the rows this import added were deleted and the rows it changed have their earlier values again.
            </p>
          </Match>
          <Match when={isReverting(props.job)}>
            <RevertProgress job={props.job} />
          </Match>
          <Match when={plan()}>
            {(p) => (
              <fieldset class="repair-fieldset" data-testid="revert-confirm">
                <legend class="repair-title">Revert this import?</legend>
                <p data-testid="revert-plan">{describeRevertPlan(p())}</p>
                <Show when={p().conflicts.length > 0}>
                  <div class="notice notice-warn" data-testid="revert-conflicts">
                    <p>Later imports changed some of these rows again; revert them first:</p>
                    <ul>
                      <For each={p().conflicts}>
                        {(c) => (
                          <li data-testid="revert-conflict" data-job-id={c.jobId} title={c.jobId}>
                            job {c.jobId.slice(0, 8)}
                            <Show when={store.jobs.get(c.jobId)}>{(later) => <> ({later().filename})</>}</Show>: {formatCount(c.rows)}{' '}
                            {c.rows === 1 ? 'row' : 'rows'}
                          </li>
                        )}
                      </For>
                    </ul>
                  </div>
                </Show>
                <Show when={p().expired}>
                  <p class="notice notice-warn" data-testid="revert-expired">
                    The earlier values of the rows this import changed are no longer kept, so it can no longer be reverted.
                  </p>
                </Show>
                <div class="actions">
                  <button
                    type="button"
                    class="button-danger"
                    data-testid="revert-yes"
                    ref={yesButton}
                    disabled={blocked() || step().name === 'sending'}
                    onClick={() => void confirm()}
                  >
                    {step().name === 'sending' ? 'Reverting…' : 'Revert'}
                  </button>
                  <button type="button" class="button-secondary" data-testid="revert-no" ref={noButton} onClick={keep}>
                    Keep the import
                  </button>
                </div>
              </fieldset>
            )}
          </Match>
          <Match when={canRevert(props.job)}>
            <div class="actions">
              <GatedButton
                action="revert"
                class="button-secondary"
                testId="job-revert"
                disabled={step().name === 'planning'}
                onClick={() => void ask()}
              >
                {step().name === 'planning' ? 'Checking…' : 'Revert…'}
              </GatedButton>
              <Show when={store.session.can('revert').allowed}>
                <span class="hint">Takes the import back: shows what it would change first.</span>
              </Show>
            </div>
          </Match>
        </Switch>
        <Show when={error()}>
          <p class="action-error" role="alert" data-testid="revert-error">
            {error()}
          </p>
        </Show>
      </section>
    </Show>
  );
}

function RevertProgress(props: { job: Job }) {
  const progress = () => revertProgress(props.job);
  return (
    <div class="revert-progress">
      <ProgressBar
        value={progress() ? (progress()!.total === 0 ? 1 : progress()!.done / progress()!.total) : 0}
        indeterminate={!progress()}
        label={`Reverting ${props.job.filename}`}
        tone="muted"
        testId="revert-progress"
      />
      <p data-testid="revert-progress-text" role="status">
        {progress()
          ? `Reverting: ${formatCount(progress()!.done)} of ${formatCount(progress()!.total)} rows done.`
          : 'Reverting: counting the rows…'}
      </p>
    </div>
  );
}
