import { Show } from 'solid-js';
import { useStore } from '../stores/context';
import { usePageTitle } from '../lib/page-title';
import { MappingStep } from '../components/mapping/mapping-step';
import { UploadPanel } from '../components/upload-panel';
import { JobList } from '../components/job-list';

/** `/`: upload files, check their columns, follow their imports live. */
export function ImportsPage() {
  const store = useStore();
  usePageTitle(() => 'Imports');
  return (
    <div class="layout">
      <h1 class="visually-hidden" tabindex="-1">
        Imports
      </h1>
      <Show when={store.staging.current()} keyed>
        {(staged) => <MappingStep staged={staged} />}
      </Show>
      <UploadPanel />
      <JobList />
    </div>
  );
}
