import { createMemo, createSignal, For, Show } from 'solid-js';
import { TemplateName, type OnDuplicate } from '@docprocessor/contracts';
import { AUTO_TEMPLATE } from '../api/upload-form';
import { useStore } from '../stores/context';
import { emptyFailureDraft, readFailureDraft, type FailureDraft, type FailureDraftErrors } from '../lib/failure-policy';
import { AutoTableField } from './auto-table-field';
import { FailureOptions } from './failure-options';
import { UploadList } from './upload-list';
import { formatBytes } from '../lib/format';
import { FILE_INPUT_ACCEPT } from '../lib/upload-check';

const DUPLICATE_HELP: Record<OnDuplicate, string> = {
  error: 'A key repeated within the file fails every later occurrence (duplicate_key); the first one is kept.',
  last: 'The last occurrence of a repeated key wins; every occurrence counts as a successful row.',
};

/**
 * Template and duplicate policy, then a drop zone / file picker. Each chosen file opens its mapping step (see
 * MappingStep); with "New template from this file" it uploads at once as `template=auto` under the table name given.
 */
export function UploadPanel() {
  const store = useStore();
  const [template, setTemplate] = createSignal('contacts');
  const [table, setTable] = createSignal('');
  const [tableError, setTableError] = createSignal<string | null>(null);
  const [onDuplicate, setOnDuplicate] = createSignal<OnDuplicate>('error');
  const [failure, setFailure] = createSignal<FailureDraft>(emptyFailureDraft());
  const [failureErrors, setFailureErrors] = createSignal<FailureDraftErrors>({});
  const [dragging, setDragging] = createSignal(false);
  let input: HTMLInputElement | undefined;
  let dragDepth = 0;

  const auto = () => template() === AUTO_TEMPLATE;
  // Keep the choice valid when the list arrives or changes.
  const selected = createMemo(() => {
    const list = store.templates.list();
    return auto() ? undefined : (list.find((t) => t.name === template()) ?? list[0]);
  });

  function tableProblem(files: File[]): string | null {
    const parsed = TemplateName.safeParse(table().trim());
    if (!parsed.success) return `The table name ${parsed.error.issues[0]?.message ?? 'is not valid'}.`;
    if (store.templates.get(parsed.data)) return `A template named ${parsed.data} exists: choose it above, or another name.`;
    return files.length > 1 ? 'A new template is made from one file: choose one file.' : null;
  }

  const send = (files: FileList | null | undefined) => {
    const chosen = Array.from(files ?? []);
    if (chosen.length === 0) return;
    const list = store.uploads.screen(chosen); // a refused file is listed below with its reason
    if (list.length === 0) return;
    const { policy, errors } = readFailureDraft(failure());
    setFailureErrors(errors);
    if (Object.keys(errors).length > 0) return;
    store.selection.release();
    if (auto()) {
      const problem = tableProblem(list);
      setTableError(problem);
      if (!problem) store.uploads.add(list, { template: AUTO_TEMPLATE, table: table().trim(), onDuplicate: onDuplicate(), ...policy });
      return;
    }
    const template = selected();
    if (template)
      store.staging.add(list, {
        template: template.name,
        onDuplicate: onDuplicate(),
        ...(Object.keys(policy).length > 0 ? { onFailure: policy } : {}),
      });
  };

  const openPicker = () => input?.click();

  return (
    <section class="card upload-panel" aria-labelledby="upload-title">
      <h2 id="upload-title">New import</h2>
      <div class="field">
        <label class="field-label" for="template">
          Template
        </label>
        <select
          id="template"
          data-testid="template-select"
          value={auto() ? AUTO_TEMPLATE : (selected()?.name ?? '')}
          onChange={(e) => {
            setTemplate(e.currentTarget.value);
            setTableError(null);
          }}
        >
          <Show when={!selected() && !auto()}>
            <option value="" disabled>
              {store.templates.state() === 'failed' ? 'Templates could not be loaded' : 'Loading templates…'}
            </option>
          </Show>
          <For each={store.templates.list()}>
            {(t) => (
              <option value={t.name} selected={!auto() && t.name === selected()?.name}>
                {t.name}
              </option>
            )}
          </For>
          <option value={AUTO_TEMPLATE} selected={auto()}>
            New template from this file…
          </option>
        </select>
        <Show when={auto()}>
          <AutoTableField
            value={table()}
            error={tableError()}
            onInput={(value) => {
              setTable(value);
              setTableError(null);
            }}
          />
        </Show>
        <Show when={selected()}>
          {(t) => (
            <p class="hint columns-hint" data-testid="template-columns">
              <span>
                Required:{' '}
                <ColumnNames
                  names={t()
                    .columns.filter((c) => c.required)
                    .map((c) => c.name)}
                />
              </span>
              <Show when={t().columns.some((c) => !c.required)}>
                <span>
                  Optional:{' '}
                  <ColumnNames
                    names={t()
                      .columns.filter((c) => !c.required)
                      .map((c) => c.name)}
                  />
                </span>
              </Show>
              <span>
                Rows are matched on <code>{t().key.join(', ')}</code>; an existing key is updated.
              </span>
            </p>
          )}
        </Show>
      </div>
      <div class="field">
        <label class="field-label" for="on-duplicate">
          Repeated keys in a file
        </label>
        <select
          id="on-duplicate"
          data-testid="on-duplicate-select"
          value={onDuplicate()}
          aria-describedby="on-duplicate-help"
          onChange={(e) => setOnDuplicate(e.currentTarget.value as OnDuplicate)}
        >
          <option value="error">Report as errors</option>
          <option value="last">Last one wins</option>
        </select>
        <p class="hint" id="on-duplicate-help">
          {DUPLICATE_HELP[onDuplicate()]}
        </p>
      </div>
      <FailureOptions
        draft={failure()}
        errors={failureErrors()}
        onChange={(change) => {
          setFailure((draft) => ({ ...draft, ...change }));
          setFailureErrors({});
        }}
      />

      {/* A drop target holding text cannot be a <button>; it takes focus and answers Enter and Space. */}
      {/* biome-ignore lint/a11y/useSemanticElements lint/a11y/useFocusableInteractive: see above */}
      <div
        class="drop-zone"
        classList={{ 'drop-zone-active': dragging() }}
        data-testid="drop-zone"
        role="button"
        tabindex="0"
        aria-describedby="drop-zone-help"
        onClick={openPicker}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            openPicker();
          }
        }}
        onDragEnter={(e) => {
          e.preventDefault();
          dragDepth += 1;
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={() => {
          dragDepth = Math.max(0, dragDepth - 1);
          if (dragDepth === 0) setDragging(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          dragDepth = 0;
          setDragging(false);
          send(e.dataTransfer?.files);
        }}
      >
        <svg class="drop-icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 16V4m0 0-4 4m4-4 4 4M4 16v2a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-2" />
        </svg>
        <span class="drop-title">{dragging() ? 'Release to upload' : 'Drop CSV or Excel files here'}</span>
        <span class="drop-or">or</span>
        <span class="button-secondary drop-button">Choose files…</span>
        <span class="hint" id="drop-zone-help">
          {auto()
            ? 'The file becomes a new template and table, and is imported into it.'
            : `Each file becomes its own import with the ${selected()?.name ?? ''} template, unless you choose another for it.`}
        </span>
        <span class="hint" data-testid="accepted-files">
          .csv, .tsv or .txt (also gzip-compressed, .csv.gz) or .xlsx
          <Show when={store.uploads.maxBytes()}>{(max) => `, up to ${formatBytes(max())} each`}</Show>
        </span>
      </div>
      <input
        ref={input}
        id="file-input"
        class="visually-hidden"
        data-testid="file-input"
        type="file"
        accept={FILE_INPUT_ACCEPT}
        multiple
        tabindex="-1"
        aria-label="Choose CSV or Excel files"
        onChange={(e) => {
          send(e.currentTarget.files);
          e.currentTarget.value = ''; // the same file may be chosen again
        }}
      />
      <UploadList />
    </section>
  );
}

function ColumnNames(props: { names: string[] }) {
  return <>{props.names.length > 0 ? props.names.join(', ') : 'none'}</>;
}
