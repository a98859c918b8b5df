import { createEffect, createMemo, createResource, createSignal, For, Match, on, Show, Switch } from 'solid-js';
import type { MissingColumn, Template } from '@docprocessor/contracts';
import { isWorkbook, type UploadFields } from '../../api/upload-form';
import { assign, isClean, mappingInputOf, missingOf, proposalOf, type MappingRow } from '../../lib/header-mapping';
import { messageOf } from '../../stores/app';
import { useStore } from '../../stores/context';
import type { StagedFile } from '../../stores/staging';
import { DialectLine } from '../dialect-line';
import { TemplateSelect } from '../template-select';
import { MappingTable } from './mapping-table';

/**
 * Before a file is imported: its first rows under its headers and the template column each feeds, as proposed
 * by the preview and editable. "Import" is the form's default button, so a file that matched needs one Enter.
 */
export function MappingStep(props: { staged: StagedFile }) {
  const store = useStore();
  const template = () => store.templates.get(props.staged.template);
  const [sheet, setSheet] = createSignal('');
  const source = () => ({ file: props.staged.file, template: props.staged.template, sheet: sheet().trim() });
  const [preview] = createResource(source, (s) => store.api.preview(s.file, { template: s.template, sheet: s.sheet || undefined }));
  const [rows, setRows] = createSignal<MappingRow[]>([]);
  const [proposed, setProposed] = createSignal<MissingColumn[]>([]);
  const missing = createMemo(() => (template() ? missingOf(rows(), template()!, proposed()) : []));
  const ignored = () =>
    rows()
      .filter((r) => r.column === null)
      .map((r) => r.header);
  let heading: HTMLHeadingElement | undefined;
  let importButton: HTMLButtonElement | undefined;
  let focused = false;

  createEffect(
    on([() => (preview.state === 'ready' ? preview() : undefined), template], ([read, t]) => {
      if (!read || !t) return;
      const proposal = proposalOf(read, t);
      setRows(proposal.rows);
      setProposed(proposal.missing);
      // Only when the step opens: after a change of template the focus stays on the template select.
      if (focused) return;
      focused = true;
      queueMicrotask(() => (isClean(proposal.rows, missingOf(proposal.rows, t, proposal.missing)) ? importButton : heading)?.focus());
    }),
  );

  const send = (fields: Partial<UploadFields>) => {
    const { id, file, template: name, onDuplicate, onFailure } = props.staged;
    store.uploads.add([file], {
      template: name,
      onDuplicate,
      ...onFailure,
      ...(sheet().trim() ? { sheet: sheet().trim() } : {}),
      ...fields,
    });
    store.staging.done(id);
  };
  const ready = () => preview.state === 'ready' && rows().length > 0 && missing().length === 0;
  const importMapped = (dryRun: boolean) => send({ mapping: mappingInputOf(rows()), ...(dryRun ? { dryRun: true } : {}) });

  return (
    <section class="card mapping-step" aria-labelledby="mapping-title" data-testid="mapping-step" data-file={props.staged.file.name}>
      <div class="panel-head">
        <h2 id="mapping-title" ref={heading} tabindex="-1">
          Check the columns of <span class="break">{props.staged.file.name}</span>
        </h2>
        <Show when={store.staging.count() > 1}>
          <span class="muted">{store.staging.count() - 1} more file(s) waiting</span>
        </Show>
      </div>
      <div class="field field-narrow">
        <label class="field-label" for="mapping-template">
          Template
        </label>
        <TemplateSelect staged={props.staged} id="mapping-template" testId="mapping-template" />
      </div>
      <Show when={isWorkbook(props.staged.file)}>
        <div class="field field-narrow">
          <label class="field-label" for="mapping-sheet">
            Sheet <span class="hint">(name or number; empty: the first)</span>
          </label>
          <input
            id="mapping-sheet"
            type="text"
            value={sheet()}
            data-testid="mapping-sheet"
            onChange={(e) => setSheet(e.currentTarget.value)}
          />
        </div>
      </Show>
      <form
        class="mapping-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready()) importMapped(false);
        }}
      >
        <Switch>
          <Match when={!template()}>
            <p class="notice notice-error" role="alert">
              The template {props.staged.template} is not in the list any more.
            </p>
          </Match>
          <Match when={preview.loading}>
            <p class="muted mapping-placeholder" role="status">
              Reading the head of the file…
            </p>
          </Match>
          <Match when={preview.error}>
            <div class="notice notice-error" role="alert" data-testid="mapping-error">
              <p>The file could not be previewed: {messageOf(preview.error)}</p>
              <p>You can still import it; its headers are then matched by name on the server.</p>
            </div>
          </Match>
          <Match when={preview.state === 'ready' && preview()}>
            {(read) => (
              <>
                <DialectLine dialect={read().dialect} rows={read().rows.length} />
                <Problems
                  missing={missing()}
                  ignored={ignored()}
                  onUse={(column, header) => setRows((r) => assign(r, indexOf(r, header), column))}
                />
                <MappingTable
                  rows={rows()}
                  columns={(template() as Template).columns}
                  sample={read().rows}
                  onAssign={(at, column) => setRows((r) => assign(r, at, column))}
                />
              </>
            )}
          </Match>
        </Switch>
        <div class="actions form-actions">
          <button type="button" class="button-secondary" data-testid="mapping-cancel" onClick={() => store.staging.done(props.staged.id)}>
            Cancel
          </button>
          <span class="spacer" />
          <Show when={preview.error}>
            <button type="button" class="button-secondary" data-testid="mapping-import-unchecked" onClick={() => send({})}>
              Import without checking
            </button>
          </Show>
          <button
            type="button"
            class="button-secondary"
            data-testid="mapping-dry-run"
            disabled={!ready()}
            onClick={() => importMapped(true)}
          >
            Check first (dry run)
          </button>
          <button type="submit" class="button-primary" data-testid="mapping-import" ref={importButton} disabled={!ready()}>
            Import
          </button>
        </div>
      </form>
    </section>
  );
}

const indexOf = (rows: readonly MappingRow[], header: string) => rows.findIndex((r) => r.header === header);

function Problems(props: { missing: MissingColumn[]; ignored: string[]; onUse: (column: string, header: string) => void }) {
  return (
    <div class="mapping-problems">
      <Show when={props.missing.length > 0}>
        <div class="notice notice-warn" data-testid="mapping-missing">
          <p class="notice-title">Required columns no header feeds: choose a header for each to import.</p>
          <ul>
            <For each={props.missing}>
              {(m) => (
                <li data-testid="mapping-missing-column" data-column={m.column}>
                  <code>{m.column}</code>
                  <Show when={m.closestHeader} fallback={<span class="muted"> — no header looks like it</span>}>
                    {(header) => (
                      <>
                        {' '}
                        — closest header “{header()}”{' '}
                        <button
                          type="button"
                          class="link-button"
                          data-testid="mapping-use-closest"
                          onClick={() => props.onUse(m.column, header())}
                        >
                          Use “{header()}”
                        </button>
                      </>
                    )}
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
      <Show when={props.ignored.length > 0}>
        <p class="hint" data-testid="mapping-unmatched">
          Not imported (no template column): <For each={props.ignored}>{(h) => <code class="chip">{h}</code>}</For>
        </p>
      </Show>
    </div>
  );
}
