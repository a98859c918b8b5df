import { createEffect, Show } from 'solid-js';
import { useSearchParams } from '@solidjs/router';
import { useStore } from '../stores/context';
import { usePageTitle } from '../lib/page-title';
import { filtersOf } from '../lib/job-filters';
import { MappingStep } from '../components/mapping/mapping-step';
import { UploadPanel } from '../components/upload-panel';
import { RoleReason } from '../components/role-reason';
import { JobTable } from '../components/job-table';

/** `/`: upload files, check their columns, follow their imports live and page through the history (`?status=&q=…`). */
export function ImportsPage() {
  const store = useStore();
  const [searchParams] = useSearchParams();
  usePageTitle(() => 'Imports');
  // The URL holds the filters; the history asks the API only when they changed (coming Back keeps its pages).
  createEffect(() => {
    if (store.session.credential()) store.history.show(filtersOf(searchParams));
  });
  return (
    <div class="layout">
      <h1 class="visually-hidden" tabindex="-1">
        Imports
      </h1>
      <Show when={store.staging.current()} keyed>
        {(staged) => <MappingStep staged={staged} />}
      </Show>
      {/* A viewer follows imports but starts none: the panel gives way to the reason. */}
      <Show when={store.session.can('upload').allowed} fallback={<UploadNotAllowed />}>
        <UploadPanel />
      </Show>
      <JobTable />
    </div>
  );
}

function UploadNotAllowed() {
  const store = useStore();
  return (
    <section class="card upload-not-allowed" aria-label="Upload" data-testid="upload-not-allowed">
      <h2>Upload</h2>
      <RoleReason permission={store.session.can('upload')} testId="upload-role" />
      <p class="hint">Imports started by others appear below and move live.</p>
    </section>
  );
}
