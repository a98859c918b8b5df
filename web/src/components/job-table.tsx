import { For, Match, Show, Switch } from 'solid-js';
import { A } from '@solidjs/router';
import type { Job } from '@docprocessor/contracts';
import { useStore } from '../stores/context';
import { durationOf, throughputOf } from '../lib/job-timing';
import { formatCount, formatDuration, formatEta, formatRate, formatRateNumber, formatShortTime, formatTime, percent } from '../lib/format';
import { keepPointedRowInPlace } from '../lib/keep-in-place';
import { jobPath } from '../lib/paths';
import { ProgressBar } from './progress-bar';
import { STATUS_TONES, StatusBadge } from './status-badge';
import { JobNotes } from './job-notes';
import { JobSummary } from './job-summary';
import { JobFiltersBar } from './job-filters-bar';
import { LoadMoreButton } from './load-more-button';

const COLUMNS = ['File', 'Template', 'Status', 'Rows', 'Failed', 'Duration', 'Rows/s', 'Created'];

/**
 * The key's whole history as a table, newest first: a page of the API at a time, filtered, and kept current by the
 * socket alone. Each row links to its job's page and opens its summary in place.
 */
export function JobTable() {
  const store = useStore();
  const rows = () => store.history.rows();

  return (
    <section class="card job-panel" aria-labelledby="jobs-title">
      <div class="panel-head">
        <h2 id="jobs-title">Imports</h2>
        <Show when={rows().length > 0}>
          <span class="count-pill" data-testid="jobs-count">
            {rows().length}
            {store.history.hasMore() ? '+' : ''}
          </span>
        </Show>
      </div>
      <JobFiltersBar />
      <Show when={rows().length > 0} fallback={<EmptyState />}>
        <div class="table-scroll jobs-scroll">
          <table class="jobs-table" data-testid="jobs-table" ref={keepPointedRowInPlace}>
            <thead>
              <tr>
                <For each={COLUMNS}>{(name) => <th scope="col">{name}</th>}</For>
              </tr>
            </thead>
            <tbody>
              <For each={rows()}>{(job) => <JobTableRow job={job} />}</For>
            </tbody>
          </table>
        </div>
      </Show>
      <Show when={store.history.error()}>
        <p class="action-error" role="alert">
          Could not load the imports: {store.history.error()}{' '}
          <button type="button" class="link-button" onClick={() => void store.history.loadMore()}>
            Try again
          </button>
        </p>
      </Show>
      <Show when={store.history.hasMore() && !store.history.error()}>
        <LoadMoreButton
          label="Load older imports"
          testId="jobs-load-more"
          loading={store.history.loading()}
          onLoad={() => void store.history.loadMore()}
        />
      </Show>
    </section>
  );
}

function JobTableRow(props: { job: Job }) {
  const store = useStore();
  const open = () => store.selection.id() === props.job.id;
  const fraction = () => (props.job.status === 'completed' ? 1 : props.job.progress);
  const summaryId = () => `summary-${props.job.id}`;
  return (
    <>
      <tr class="job" classList={{ 'job-open': open() }} data-testid="job-row" data-job-id={props.job.id} data-status={props.job.status}>
        <td class="job-file" data-label="File">
          <button
            type="button"
            class="row-toggle"
            aria-expanded={open()}
            aria-controls={summaryId()}
            aria-label={`Summary of ${props.job.filename}`}
            onClick={() => store.selection.toggle(props.job.id)}
          >
            <span aria-hidden="true">{open() ? '▾' : '▸'}</span>
          </button>
          <A class="job-link" href={jobPath(props.job.id)} title={props.job.filename} data-testid="job-link">
            {props.job.filename}
          </A>
          <JobNotes job={props.job} />
        </td>
        <td data-label="Template">{props.job.template}</td>
        <td class="job-status" data-label="Status">
          <StatusBadge status={props.job.status} />
          <ProgressBar
            value={fraction()}
            label={`Progress of ${props.job.filename}`}
            tone={STATUS_TONES[props.job.status]}
            indeterminate={props.job.status === 'pending'}
            testId="job-progress"
          />
          <Show when={props.job.status === 'processing'}>
            <span class="job-live">
              {percent(fraction())}%<Show when={props.job.rowsPerSecond != null}> · {formatRate(props.job.rowsPerSecond)}</Show>
              <Show when={props.job.etaSeconds != null}> · ETA {formatEta(props.job.etaSeconds)}</Show>
            </span>
          </Show>
        </td>
        <td class="num" data-label="Rows">
          {formatCount(props.job.processedRows)}
          <Show when={props.job.totalRows != null && props.job.status === 'processing'}>
            <span class="muted"> / {formatCount(props.job.totalRows)}</span>
          </Show>
        </td>
        <td class="num" classList={{ 'meta-failed': props.job.failedRows > 0 }} data-label="Failed">
          {formatCount(props.job.failedRows)}
        </td>
        <td class="num" data-label="Duration">
          {formatDuration(durationOf(props.job))}
        </td>
        <td class="num" data-label="Rows/s" title="Throughput">
          {formatRateNumber(throughputOf(props.job))}
        </td>
        <td class="num" data-label="Created">
          <time datetime={props.job.createdAt} title={formatTime(props.job.createdAt)}>
            {formatShortTime(props.job.createdAt)}
          </time>
        </td>
      </tr>
      <Show when={open()}>
        <tr class="job-detail">
          <td colSpan={COLUMNS.length}>
            <JobSummary job={props.job} id={summaryId()} />
          </td>
        </tr>
      </Show>
    </>
  );
}

function EmptyState() {
  const store = useStore();
  const state = () => store.connection.info().state;
  const filtered = () => Object.values(store.history.filters()).some((value) => value !== '');
  return (
    <div class="empty" data-testid="jobs-empty">
      <Switch>
        <Match when={filtered() && !store.history.loading()}>
          <p class="empty-title">No imports match these filters</p>
          <p class="muted">Change or clear the filters above to see more.</p>
        </Match>
        <Match when={store.connection.synced()}>
          <p class="empty-title">No imports yet</p>
          <p class="muted">Drop a CSV file under “New import” to start one; its progress shows up here live.</p>
        </Match>
        <Match when={state() === 'reconnecting' || state() === 'closed'}>
          <p class="empty-title">Waiting for the server</p>
          <p class="muted">
            The live feed is not reachable right now. This page keeps trying on its own; your imports appear as soon as it connects.
          </p>
        </Match>
        <Match when={true}>
          <p class="empty-title">Loading imports…</p>
        </Match>
      </Switch>
    </div>
  );
}
