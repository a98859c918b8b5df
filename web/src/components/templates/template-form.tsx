import { createMemo, createSignal, For, Show, type JSX } from 'solid-js';
import { createStore, produce, unwrap } from 'solid-js/store';
import { isApiError } from '../../api/http';
import { messageOf } from '../../stores/app';
import { placeIssues, serverIssueOf, type PathIssue } from '../../lib/form-issues';
import { fieldKeysOf, newColumnDraft, type DraftCheck, type TemplateDraft } from '../../lib/template-draft';
import { FieldError, invalidProps } from '../field-error';
import { ColumnEditor } from './column-editor';

export interface TemplateFormProps<T> {
  initial: TemplateDraft;
  /** Asked for when creating; a template's name never changes. */
  withName: boolean;
  /** The schema's verdict on a draft: its issues, or the definition to send. */
  check: (draft: TemplateDraft) => DraftCheck<T>;
  /** Sends the definition; rejects with the server's ApiError. */
  onSubmit: (value: T) => Promise<void>;
  submitLabel: string;
  onCancel: () => void;
  idPrefix: string;
  /** Shown between the name and the columns (what the file was read as, say). */
  children?: JSX.Element;
}

/** A 409 incompatible_change lists its reasons in one message. */
const reasonsOf = (message: string): string[] =>
  message
    .split(/;\s*|\n/)
    .map((r) => r.trim())
    .filter((r) => r !== '');

/**
 * A template's definition as a form. The contract's schemas judge it (live once a submit was tried) and each
 * message shows at its field; the server's `invalid_template` message does too when its path names one.
 */
export function TemplateForm<T>(props: TemplateFormProps<T>) {
  const [draft, setDraft] = createStore<TemplateDraft>(structuredClone(props.initial));
  const [tried, setTried] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [serverIssues, setServerIssues] = createSignal<PathIssue[]>([]);
  const [conflict, setConflict] = createSignal<string[] | null>(null);
  let form: HTMLFormElement | undefined;

  const verdict = createMemo(() => (tried() ? props.check(draft) : null));
  const placed = createMemo(() => {
    const result = verdict();
    const issues = [...(result && !result.ok ? result.issues : []), ...serverIssues()];
    return placeIssues(issues, fieldKeysOf(draft, props.withName));
  });
  const errorsAt = (field: string) => placed().byField[field];
  const keyNames = () => draft.key.map((id) => draft.columns.find((c) => c.id === id)?.name || '(unnamed)');

  const edit = (change: (d: TemplateDraft) => void) => {
    setServerIssues([]);
    setDraft(produce(change));
  };

  // The first problem gets the focus, which also scrolls it into view: a summary at the top, else a field.
  const focusFirstProblem = () =>
    queueMicrotask(() =>
      form?.querySelector<HTMLElement>('[data-problem], [aria-invalid="true"]:not(fieldset), fieldset[aria-invalid="true"] input')?.focus(),
    );

  function failed(error: unknown): void {
    const code = isApiError(error) ? error.code : '';
    if (code === 'incompatible_change') setConflict(reasonsOf(messageOf(error)));
    else if (code === 'template_exists') setServerIssues([{ path: ['name'], message: messageOf(error) }]);
    else if (code === 'invalid_template') setServerIssues([serverIssueOf(messageOf(error))]);
    else setServerIssues([{ path: [], message: messageOf(error) }]);
    focusFirstProblem();
  }

  async function submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    setTried(true);
    setServerIssues([]);
    setConflict(null);
    const result = props.check(unwrap(draft));
    if (!result.ok) return focusFirstProblem();
    setBusy(true);
    try {
      await props.onSubmit(result.value);
    } catch (error) {
      failed(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={form} class="template-form" data-testid="template-form" onSubmit={submit} novalidate>
      <Show when={placed().top.length > 0}>
        <div class="notice notice-error" role="alert" data-testid="form-errors" data-problem tabindex="-1">
          <For each={placed().top}>{(message) => <p>{message}</p>}</For>
        </div>
      </Show>
      <Show when={conflict()}>
        {(reasons) => (
          <div class="notice notice-error" role="alert" data-testid="template-conflict" data-problem tabindex="-1">
            <p class="notice-title">The table already holds data this change would not fit, so it was not applied:</p>
            <ul>
              <For each={reasons()}>{(reason) => <li>{reason}</li>}</For>
            </ul>
          </div>
        )}
      </Show>
      <Show when={props.withName}>
        <div class="field">
          <label class="field-label" for={`${props.idPrefix}-name`}>
            Template name <span class="hint">(also its table's name)</span>
          </label>
          <input
            id={`${props.idPrefix}-name`}
            type="text"
            value={draft.name}
            autocomplete="off"
            spellcheck={false}
            data-testid="template-name"
            {...invalidProps(`${props.idPrefix}-name-error`, errorsAt('name'))}
            onInput={(e) => edit((d) => void (d.name = e.currentTarget.value))}
          />
          <FieldError id={`${props.idPrefix}-name-error`} field="name" messages={errorsAt('name')} />
        </div>
      </Show>
      {props.children}
      <div class="key-line" data-testid="template-key">
        <p>
          <span class="field-label">Key: </span>
          {draft.key.length > 0 ? (
            keyNames().join(', ')
          ) : (
            <span class="muted">none yet: tick “Key” on the columns that identify a row</span>
          )}
        </p>
        <FieldError id={`${props.idPrefix}-key-error`} field="key" messages={errorsAt('key')} />
        <label class="check">
          <input
            type="checkbox"
            checked={draft.keyCaseInsensitive}
            data-testid="key-case-insensitive"
            onChange={(e) => edit((d) => void (d.keyCaseInsensitive = e.currentTarget.checked))}
          />
          Compare text keys ignoring case
        </label>
      </div>
      <FieldError id={`${props.idPrefix}-columns-error`} field="columns" messages={errorsAt('columns')} />
      <div class="column-list">
        <For each={draft.columns}>
          {(column, index) => (
            <ColumnEditor
              column={column}
              index={index()}
              keyPosition={draft.key.indexOf(column.id) + 1}
              keySize={draft.key.length}
              idPrefix={props.idPrefix}
              errorsAt={errorsAt}
              onChange={(patch) => edit((d) => void Object.assign(d.columns[index()]!, patch))}
              onRule={(rule, text) => edit((d) => void (d.columns[index()]!.rules[rule] = text))}
              onToggleKey={(on) => edit((d) => void (d.key = on ? [...d.key, column.id] : d.key.filter((id) => id !== column.id)))}
              onRemove={() =>
                edit((d) => {
                  d.columns = d.columns.filter((c) => c.id !== column.id);
                  d.key = d.key.filter((id) => id !== column.id);
                })
              }
            />
          )}
        </For>
      </div>
      <div class="actions form-actions">
        <button
          type="button"
          class="button-secondary"
          data-testid="column-add"
          onClick={() => edit((d) => void d.columns.push(newColumnDraft()))}
        >
          Add a column
        </button>
        <span class="spacer" />
        <button type="button" class="button-secondary" onClick={() => props.onCancel()}>
          Cancel
        </button>
        <button type="submit" class="button-primary" data-testid="template-submit" disabled={busy()}>
          {busy() ? 'Saving…' : props.submitLabel}
        </button>
      </div>
    </form>
  );
}
