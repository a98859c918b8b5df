import { For, Match, Show, Switch } from 'solid-js';
import { useStore } from '../stores/context';
import { JobRow } from './job-row';

/** Every job of this key, newest first, kept current by the socket alone. */
export function JobList() {
  const store = useStore();
  const jobs = () => store.jobs.list();
  return (
    <section class="card job-panel" aria-labelledby="jobs-title">
      <div class="panel-head">
        <h2 id="jobs-title">Imports</h2>
        <Show when={jobs().length > 0}>
          <span class="count-pill">{jobs().length}</span>
        </Show>
      </div>
      <Show when={jobs().length > 0} fallback={<EmptyState />}>
        <ul class="job-list">
          <For each={jobs()}>{(job) => <JobRow job={job} />}</For>
        </ul>
      </Show>
    </section>
  );
}

function EmptyState() {
  const store = useStore();
  const state = () => store.connection.info().state;
  return (
    <div class="empty" data-testid="jobs-empty">
      <Switch>
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
