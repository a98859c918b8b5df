import { createMemo, createSignal, For, Show } from 'solid-js';
import type { OnDuplicate } from '@docprocessor/contracts';
import { useStore } from '../stores/context';
import { UploadList } from './upload-list';

const DUPLICATE_HELP: Record<OnDuplicate, string> = {
  error: 'A key repeated within the file fails every later occurrence (duplicate_key); the first one is kept.',
  last: 'The last occurrence of a repeated key wins; every occurrence counts as a successful row.',
};

/** Template and duplicate policy, then a drop zone / file picker; every chosen file uploads at once. */
export function UploadPanel() {
  const store = useStore();
  const [template, setTemplate] = createSignal('contacts');
  const [onDuplicate, setOnDuplicate] = createSignal<OnDuplicate>('error');
  const [dragging, setDragging] = createSignal(false);
  let input: HTMLInputElement | undefined;
  let dragDepth = 0;

  // Keep the choice valid when the server's list replaces the built-in one.
  const selected = createMemo(() => {
    const list = store.templates();
    return list.find((t) => t.name === template()) ?? list[0];
  });

  const send = (files: FileList | null | undefined) => {
    const list = Array.from(files ?? []);
    const chosen = selected();
    if (list.length === 0 || !chosen) return;
    store.selection.release();
    store.uploads.add(list, { template: chosen.name, onDuplicate: onDuplicate() });
  };

  const openPicker = () => input?.click();

  return (
    <section class="card upload-panel" aria-labelledby="upload-title">
      <h2 id="upload-title">New import</h2>
      <div class="field">
        <label class="field-label" for="template">
          Template
        </label>
        <select id="template" data-testid="template-select" value={selected()?.name} onChange={(e) => setTemplate(e.currentTarget.value)}>
          <For each={store.templates()}>{(t) => <option value={t.name}>{t.name}</option>}</For>
        </select>
        <Show when={selected()}>
          {(t) => (
            <p class="hint columns-hint" data-testid="template-columns">
              <span>
                Required: <ColumnNames names={t().columns.filter((c) => c.required).map((c) => c.name)} />
              </span>
              <Show when={t().columns.some((c) => !c.required)}>
                <span>
                  Optional: <ColumnNames names={t().columns.filter((c) => !c.required).map((c) => c.name)} />
                </span>
              </Show>
              <span>
                Rows are matched on <code>{t().key}</code>; an existing key is updated.
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
        <span class="drop-title">{dragging() ? 'Release to upload' : 'Drop CSV files here'}</span>
        <span class="drop-or">or</span>
        <span class="button-secondary drop-button">Choose files…</span>
        <span class="hint" id="drop-zone-help">
          Each file becomes its own import with the {selected()?.name ?? ''} template.
        </span>
      </div>
      <input
        ref={input}
        id="file-input"
        class="visually-hidden"
        data-testid="file-input"
        type="file"
        accept=".csv,text/csv"
        multiple
        tabindex="-1"
        aria-label="Choose CSV files"
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
