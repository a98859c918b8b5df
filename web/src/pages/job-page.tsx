import { createEffect, createSignal, Match, on, Switch } from 'solid-js';
import { A, useParams } from '@solidjs/router';
import { isApiError } from '../api/http';
import { useStore } from '../stores/context';
import { messageOf } from '../stores/app';
import { usePageTitle } from '../lib/page-title';
import { StatusBadge } from '../components/status-badge';
import { JobNotes } from '../components/job-notes';
import { LiveBar } from '../components/live-bar';
import { ThroughputChart } from '../components/throughput-chart';
import { JobTimeline } from '../components/job-timeline';
import { JobSummary } from '../components/job-summary';
import { JobAudit } from '../components/job-audit';

type Loading = 'loading' | 'loaded' | 'not-found' | { error: string };

/**
 * `/jobs/:id`: one job, as a shared link opens it. The job is asked for once over HTTP; from then on the socket's
 * events (every job of the key) keep it live in the store, as on the list.
 */
export function JobPage() {
  const store = useStore();
  const params = useParams<{ id: string }>();
  const [state, setState] = createSignal<Loading>('loading');
  const job = () => store.jobs.get(params.id);
  usePageTitle(() => job()?.filename ?? 'Import');

  const load = (id: string) => {
    setState('loading');
    store.api.getJob(id).then(
      (fetched) => {
        if (id !== params.id) return;
        store.jobs.upsert(fetched);
        setState('loaded');
      },
      (error: unknown) => {
        if (id !== params.id) return;
        setState(isApiError(error) && error.code === 'not_found' ? 'not-found' : { error: messageOf(error) });
      },
    );
  };
  // Again for another key or person: it may be another tenant's view of the same link.
  createEffect(on([() => params.id, store.session.credential], ([id, credential]) => credential && load(id)));

  return (
    <div class="page job-page">
      <p class="crumbs">
        <A href="/" data-testid="back-to-imports">
          Imports
        </A>{' '}
        /
      </p>
      <Switch>
        <Match when={job()}>
          {(shown) => (
            <>
              <div class="page-head">
                <h1 tabindex="-1" class="break" data-testid="job-page-title">
                  {shown().filename}
                </h1>
                <StatusBadge status={shown().status} />
              </div>
              <p class="muted job-page-id">
                Import <code>{shown().id}</code> · template{' '}
                <A href={`/templates/${encodeURIComponent(shown().template)}`}>{shown().template}</A>
              </p>
              <JobNotes job={shown()} />
              <section class="card" data-testid="job-page" data-job-id={shown().id} data-status={shown().status} aria-label="Progress">
                <LiveBar job={shown()} />
                <ThroughputChart job={shown()} samples={store.jobs.samples(shown().id)} />
              </section>
              <div class="job-page-grid">
                <section class="card job-page-summary">
                  <h2>Summary</h2>
                  <JobSummary job={shown()} />
                </section>
                <div class="job-page-side">
                  <JobTimeline job={shown()} />
                  <JobAudit job={shown()} />
                </div>
              </div>
            </>
          )}
        </Match>
        <Match when={state() === 'not-found'}>
          <section class="card page-message" data-testid="job-not-found">
            <h1 tabindex="-1">No such import</h1>
            <p class="muted">
              There is no import {params.id} for this key. It may belong to another tenant. <A href="/">See all imports</A>.
            </p>
          </section>
        </Match>
        <Match when={typeof state() === 'object' && state()}>
          {(failed) => (
            <section class="card page-message" role="alert" data-testid="job-load-error">
              <h1 tabindex="-1">The import could not be loaded</h1>
              <p>{(failed() as { error: string }).error}</p>
              <button type="button" class="button-secondary" onClick={() => load(params.id)}>
                Try again
              </button>
            </section>
          )}
        </Match>
        <Match when={true}>
          <p class="muted" data-testid="job-loading">
            Loading the import…
          </p>
        </Match>
      </Switch>
    </div>
  );
}
