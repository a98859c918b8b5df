import { createResource, createSignal, Match, Show, Switch } from 'solid-js';
import type { Template } from '@docprocessor/contracts';
import { isWorkbook } from '../../api/upload-form';
import { messageOf } from '../../stores/app';
import { useStore } from '../../stores/context';
import { checkNewTemplate, draftOfPreview } from '../../lib/template-draft';
import { DialectLine } from '../dialect-line';
import { TemplateForm } from './template-form';

/**
 * A new template from a sample file: the preview infers its columns (types, empty cells, date formats), the
 * person corrects them, names the template and picks its key, and the service creates it and its table.
 */
export function NewTemplateFromSample(props: { onCreated: (template: Template) => void; onCancel: () => void }) {
  const store = useStore();
  const [file, setFile] = createSignal<File | null>(null);
  const [sheet, setSheet] = createSignal('');
  const source = () => {
    const chosen = file();
    return chosen ? { file: chosen, sheet: sheet().trim() } : false;
  };
  const [preview] = createResource(source, ({ file, sheet }) => store.api.preview(file, { sheet: sheet || undefined }));

  return (
    <section class="card new-template" aria-labelledby="new-template-title" data-testid="new-template">
      <h2 id="new-template-title">New template from a sample file</h2>
      <p class="muted">Choose a file like the ones you will import. Its head is read to propose the columns; nothing is imported.</p>
      <div class="field">
        <label class="field-label" for="sample-file">
          Sample file <span class="hint">(CSV or .xlsx)</span>
        </label>
        <input
          id="sample-file"
          type="file"
          accept=".csv,.xlsx,text/csv"
          data-testid="sample-file-input"
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
      </div>
      <Show when={file() && isWorkbook(file()!)}>
        <div class="field field-narrow">
          <label class="field-label" for="sample-sheet">
            Sheet <span class="hint">(name or number; empty: the first)</span>
          </label>
          <input
            id="sample-sheet"
            type="text"
            value={sheet()}
            data-testid="sample-sheet"
            onChange={(e) => setSheet(e.currentTarget.value)}
          />
        </div>
      </Show>
      <Switch>
        <Match when={preview.loading}>
          <p class="muted" role="status">
            Reading the file…
          </p>
        </Match>
        <Match when={preview.error}>
          <p class="notice notice-error" role="alert" data-testid="sample-error">
            {messageOf(preview.error)}
          </p>
        </Match>
        <Match when={preview.state === 'ready' ? preview() : undefined} keyed>
          {(result) => (
            <TemplateForm
              initial={draftOfPreview(result, file()?.name ?? 'template')}
              withName
              check={checkNewTemplate}
              onSubmit={async (input) => props.onCreated(await store.templates.create(input))}
              submitLabel="Create template"
              onCancel={props.onCancel}
              idPrefix="new"
            >
              <DialectLine dialect={result.dialect} rows={result.rows.length} />
            </TemplateForm>
          )}
        </Match>
      </Switch>
      <Show when={!file()}>
        <div class="actions">
          <button type="button" class="button-secondary" onClick={() => props.onCancel()}>
            Cancel
          </button>
        </div>
      </Show>
    </section>
  );
}
