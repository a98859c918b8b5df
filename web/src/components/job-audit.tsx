import { createResource, For, Match, Switch } from 'solid-js';
import type { Job } from '@docprocessor/contracts';
import { describeJobEntry } from '../lib/audit';
import { formatShortTime, formatTime } from '../lib/format';
import { messageOf } from '../stores/app';
import { useStore } from '../stores/context';

/**
 * Who started and changed this job, from the audit log (`GET /api/imports/:id/audit`). Asked again when the job's
 * status, fixes or revert change (what someone did), not on every progress event.
 */
export function JobAudit(props: { job: Job }) {
  const store = useStore();
  const changes = () => `${props.job.id}|${props.job.status}|${props.job.fixes.length}|${props.job.revert ? 1 : 0}`;
  const [list] = createResource(changes, () => store.api.jobAudit(props.job.id));
  const items = () => (list.state === 'ready' || list.state === 'refreshing' ? list.latest.items : []);

  return (
    <section class="card job-audit" aria-labelledby="job-audit-title" data-testid="job-audit">
      <h2 id="job-audit-title">History</h2>
      <Switch>
        <Match when={list.error}>
          <p class="muted">Who did what could not be loaded: {messageOf(list.error)}</p>
        </Match>
        <Match when={items().length > 0}>
          <ol class="timeline">
            <For each={items()}>
              {(entry) => (
                <li
                  class="timeline-entry"
                  classList={{ 'audit-refused': entry.outcome !== 'ok' }}
                  data-testid="job-audit-entry"
                  data-action={entry.action}
                >
                  <span class="break">
                    {describeJobEntry(entry)} ·{' '}
                    <time class="timeline-time" datetime={entry.at} title={formatTime(entry.at)}>
                      {formatShortTime(entry.at)}
                    </time>
                  </span>
                </li>
              )}
            </For>
          </ol>
        </Match>
        <Match when={list.state === 'ready'}>
          <p class="muted">No one has acted on this import yet.</p>
        </Match>
        <Match when={true}>
          <p class="muted">Loading…</p>
        </Match>
      </Switch>
    </section>
  );
}
