import { createEffect, Show } from 'solid-js';
import { useSearchParams } from '@solidjs/router';
import { useStore } from '../stores/context';
import { usePageTitle } from '../lib/page-title';
import { filtersOf } from '../lib/job-filters';
import { MappingStep } from '../components/mapping/mapping-step';
import { UploadPanel } from '../components/upload-panel';
import { JobTable } from '../components/job-table';

/** `/`: upload files, check their columns, follow their imports live and page through the history (`?status=&q=…`). */
export function ImportsPage() {
  const store = useStore();
  const [searchParams] = useSearchParams();
  usePageTitle(() => 'Imports');
  // The URL holds the filters; the history asks the API only when they changed (coming Back keeps its pages).
  createEffect(() => {
    if (store.session.key()) store.history.show(filtersOf(searchParams));
  });
  return (
    <div class="layout">
      <h1 class="visually-hidden" tabindex="-1">
        Imports
      </h1>
      <Show when={store.staging.current()} keyed>
        {(staged) => <MappingStep staged={staged} />}
      </Show>
      <UploadPanel />
      <JobTable />
    </div>
  );
}
