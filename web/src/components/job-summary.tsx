import { createSignal, For, Show, type JSX } from 'solid-js';
import type { Job } from '@docprocessor/contracts';
import { useStore } from '../stores/context';
import { messageOf } from '../stores/app';
import { formatBytes, formatDuration, formatRate, formatTime, shortSha, statusLabel } from '../lib/format';
import { saveBlob } from '../lib/download';
import { describeFailurePolicy } from '../lib/failure-policy';
import { durationOf, throughputOf } from '../lib/job-timing';
import { canFix } from '../lib/repair';
import { DryRunPlan } from './dry-run-plan';
import { ErrorsTable } from './errors-table';
import { FixesPanel } from './fixes-panel';
import { RevertPanel } from './revert-panel';
import { WebhookDeliveries } from './webhook-deliveries';
import { GatedButton } from './role-reason';

/** Everything about one job: counts, timing, file, failure and its row errors, with cancel/retry. */
export function JobSummary(props: { job: Job; id?: string }) {
  const job = () => props.job;
  const duration = () => durationOf(job());
  const rate = () => throughputOf(job());

  return (
    <section class="summary" id={props.id} data-testid="job-summary" data-job-id={job().id} aria-label={`Summary of ${job().filename}`}>
      <dl class="counts">
        <Count label="Processed" testId="summary-processed" value={job().processedRows} />
        <Count label="Succeeded" testId="summary-success" value={job().successRows} tone="ok" />
        <Count label="Failed" testId="summary-failed" value={job().failedRows} tone={job().failedRows > 0 ? 'bad' : undefined} />
        <Count label="Total" testId="summary-total" value={job().totalRows} />
      </dl>

      <Show when={job().dryRun}>
        <DryRunPlan job={job()} />
      </Show>

      <Show when={job().error}>
        {(error) => (
          <div class="job-error" role="alert" data-testid="summary-error">
            <p class="job-error-title">
              {errorTitle(error())} <code>{error().code}</code>
              <span class="muted"> ({error().kind})</span>
            </p>
            <p>{error().message}</p>
            <Show when={error().row != null}>
              <p class="muted">At data row {error().row}</p>
            </Show>
            <Show when={job().atomic && job().status !== 'reverted'}>
              <p data-testid="summary-atomic">All or nothing: the table was left as it was.</p>
            </Show>
          </div>
        )}
      </Show>

      <dl class="details">
        <Detail label="Status">{statusLabel(job().status)}</Detail>
        <Detail label="Duration">{formatDuration(duration())}</Detail>
        <Detail label="Speed">{formatRate(rate())}</Detail>
        <Detail label="File">
          <span class="break">{job().filename}</span> <span class="muted">({formatBytes(job().sizeBytes)})</span>
        </Detail>
        <Detail label="SHA-256">
          <code title={job().sha256}>{shortSha(job().sha256)}</code>
        </Detail>
        <Detail label="Template">
          {job().template} <span class="muted">· repeated keys: {job().onDuplicate === 'last' ? 'last wins' : 'errors'}</span>
        </Detail>
        <Show when={describeFailurePolicy(job())}>
          {(policy) => (
            <Detail label="If rows fail">
              <span data-testid="summary-policy">{policy()}</span>
            </Detail>
          )}
        </Show>
        <Detail label="Format">
          <Show
            when={job().format === 'xlsx'}
            fallback={
              <>
                {job().encoding} <span class="muted">· delimiter {job().delimiter === '\t' ? 'tab' : `“${job().delimiter}”`}</span>
              </>
            }
          >
            {/* A workbook's cells come typed: encoding and delimiter are the CSV reader's, not its. */}
            Excel workbook <span class="muted">· sheet {job().sheet ?? 'the first'}</span>
          </Show>
        </Detail>
        <Detail label="Created">{formatTime(job().createdAt)}</Detail>
        <Detail label="Finished">{formatTime(job().finishedAt)}</Detail>
        <Show when={job().attempt > 1}>
          <Detail label="Attempt">{job().attempt}</Detail>
        </Show>
        <Show when={job().mapping}>
          {(mapping) => (
            <Detail label="Mapping" wide>
              <For each={Object.entries(mapping())}>
                {([header, column]) => (
                  <code class="chip">
                    {header} → {column ?? 'ignored'}
                  </code>
                )}
              </For>
            </Detail>
          )}
        </Show>
        <Show when={job().ignoredColumns.length > 0}>
          <Detail label="Ignored columns" wide>
            <For each={job().ignoredColumns}>{(name) => <code class="chip">{name}</code>}</For>
          </Detail>
        </Show>
      </dl>

      <Actions job={job()} />
      <RevertPanel job={job()} />
      <FixesPanel job={job()} />
      <ErrorsTable job={job()} />
      <WebhookDeliveries job={job()} />
    </section>
  );
}

const errorTitle = (error: NonNullable<Job['error']>): string => {
  if (error.code === 'too_many_errors') return 'The import stopped: too many rows failed';
  return error.kind === 'validation' ? 'The file was rejected' : 'The import failed';
};

function Count(props: { label: string; testId: string; value: number | null; tone?: 'ok' | 'bad' | undefined }) {
  // Plain digits, no grouping: what a person copies and what a test reads stay the same number.
  return (
    <div class="count" classList={{ [`count-${props.tone}`]: !!props.tone }}>
      <dt>{props.label}</dt>
      <dd data-testid={props.testId} data-value={props.value ?? ''}>
        {props.value ?? '—'}
      </dd>
    </div>
  );
}

function Detail(props: { label: string; wide?: boolean; children: JSX.Element }) {
  return (
    <div class="detail" classList={{ 'detail-wide': !!props.wide }}>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

/** What each action asks before it runs: cancelling stops an import, retrying runs it again from the start. */
const CONFIRMS = {
  cancel: { question: 'Stop this import? Rows already written stay in the table.', yes: 'Yes, cancel', no: 'Keep it running' },
  retry: { question: 'Run this import again from its stored file?', yes: 'Yes, retry', no: 'Not now' },
} as const;
type Confirmable = keyof typeof CONFIRMS;

function Actions(props: { job: Job }) {
  const store = useStore();
  const [busy, setBusy] = createSignal<string | null>(null);
  const [asking, setAsking] = createSignal<Confirmable | null>(null);
  const [error, setError] = createSignal<string | null>(null);

  const run = async (name: string, action: () => Promise<void>) => {
    setBusy(name);
    setAsking(null);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(null);
    }
  };

  const download = () =>
    run('download', async () => {
      const { blob, filename } = await store.api.downloadErrorsCsv(props.job.id);
      saveBlob(blob, filename);
    });

  const canCancel = () => props.job.status === 'pending' || props.job.status === 'processing';
  const canRetry = () => props.job.status === 'failed' || props.job.status === 'cancelled';
  const confirmed = (name: Confirmable) => run(name, () => (name === 'cancel' ? store.cancel(props.job.id) : store.retry(props.job.id)));

  return (
    <div class="actions">
      <Show when={canCancel()}>
        <GatedButton
          action="cancel"
          class="button-danger"
          testId="job-cancel"
          aria-expanded={asking() === 'cancel'}
          disabled={!!busy()}
          onClick={() => setAsking('cancel')}
        >
          {busy() === 'cancel' ? 'Cancelling…' : 'Cancel import'}
        </GatedButton>
      </Show>
      <Show when={canRetry()}>
        <GatedButton
          action="retry"
          class="button-primary"
          testId="job-retry"
          aria-expanded={asking() === 'retry'}
          disabled={!!busy()}
          onClick={() => setAsking('retry')}
        >
          {busy() === 'retry' ? 'Retrying…' : 'Retry'}
        </GatedButton>
      </Show>
      {/* A job whose failed rows can be fixed offers the download with the fixes (FixesPanel). */}
      <Show when={props.job.failedRows > 0 && !canFix(props.job)}>
        <button type="button" class="button-secondary" data-testid="download-errors" disabled={!!busy()} onClick={download}>
          {busy() === 'download' ? 'Preparing…' : 'Download errors.csv'}
        </button>
      </Show>
      <Show when={asking()}>
        {(name) => (
          <div class="confirm" data-testid={`job-${name()}-confirm`}>
            <p>{CONFIRMS[name()].question}</p>
            <button
              type="button"
              class={name() === 'cancel' ? 'button-danger' : 'button-primary'}
              data-testid={`job-${name()}-yes`}
              ref={(el) => queueMicrotask(() => el.focus())}
              onClick={() => void confirmed(name())}
            >
              {CONFIRMS[name()].yes}
            </button>
            <button type="button" class="button-secondary" data-testid={`job-${name()}-no`} onClick={() => setAsking(null)}>
              {CONFIRMS[name()].no}
            </button>
          </div>
        )}
      </Show>
      <Show when={error()}>
        <p class="action-error" role="alert">
          {error()}
        </p>
      </Show>
    </div>
  );
}
