import { createMemo, createSignal, For, Show } from 'solid-js';
import { TemplateInput, type Template } from '@docprocessor/contracts';
import { isApiError } from '../../api/http';
import { messageOf } from '../../stores/app';
import { useStore } from '../../stores/context';
import { placeIssues, serverIssueOf, type PathIssue } from '../../lib/form-issues';
import { FieldError, invalidProps } from '../field-error';

const SHOWN = new Set(['name', 'table', 'key']);

/** A template bound to a table that exists: the service reads its columns, types, NOT NULL and key from the catalog. */
export function BindTableForm(props: { onCreated: (template: Template) => void; onCancel: () => void }) {
  const store = useStore();
  const [name, setName] = createSignal('');
  const [table, setTable] = createSignal('');
  const [key, setKey] = createSignal('');
  const [tried, setTried] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [serverIssues, setServerIssues] = createSignal<PathIssue[]>([]);

  const candidate = () => {
    const keyColumns = key()
      .split(',')
      .map((k) => k.trim())
      .filter((k) => k !== '');
    return { name: name().trim(), table: table().trim(), ...(keyColumns.length > 0 ? { key: keyColumns } : {}) };
  };
  const verdict = createMemo(() => TemplateInput.safeParse(candidate()));
  const placed = createMemo(() => {
    const result = verdict();
    const issues = [...(tried() && !result.success ? result.error.issues : []), ...serverIssues()];
    return placeIssues(issues, SHOWN);
  });

  async function submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    setTried(true);
    setServerIssues([]);
    const result = verdict();
    if (!result.success) return;
    setBusy(true);
    try {
      props.onCreated(await store.templates.create(result.data));
    } catch (error) {
      const code = isApiError(error) ? error.code : '';
      if (code === 'template_exists') setServerIssues([{ path: ['name'], message: messageOf(error) }]);
      else if (code === 'invalid_template') setServerIssues([serverIssueOf(messageOf(error))]);
      else setServerIssues([{ path: [], message: messageOf(error) }]);
    } finally {
      setBusy(false);
    }
  }

  const field = (id: 'name' | 'table' | 'key', label: string, hint: string, value: () => string, set: (v: string) => void) => (
    <div class="field">
      <label class="field-label" for={`bind-${id}`}>
        {label} <span class="hint">{hint}</span>
      </label>
      <input
        id={`bind-${id}`}
        type="text"
        value={value()}
        autocomplete="off"
        spellcheck={false}
        data-testid={`bind-${id}`}
        {...invalidProps(`bind-${id}-error`, placed().byField[id])}
        onInput={(e) => {
          setServerIssues([]);
          set(e.currentTarget.value);
        }}
      />
      <FieldError id={`bind-${id}-error`} field={id} messages={placed().byField[id]} />
    </div>
  );

  return (
    <section class="card new-template" aria-labelledby="bind-title" data-testid="bind-table-form">
      <h2 id="bind-title">Bind to an existing table</h2>
      <p class="muted">
        For a table you already have. Its columns, types, NOT NULL and primary key (or a unique index) become the template’s rules.
      </p>
      <form class="bind-form" onSubmit={submit} novalidate>
        <Show when={placed().top.length > 0}>
          <div class="notice notice-error" role="alert" data-testid="form-errors">
            <For each={placed().top}>{(message) => <p>{message}</p>}</For>
          </div>
        </Show>
        {field('name', 'Template name', '(how uploads name it)', name, setName)}
        {field('table', 'Table', '(table or schema.table, as PostgreSQL spells it)', table, setTable)}
        {field('key', 'Key columns', '(optional, comma-separated; default: the table’s primary key)', key, setKey)}
        <div class="actions form-actions">
          <span class="spacer" />
          <button type="button" class="button-secondary" onClick={() => props.onCancel()}>
            Cancel
          </button>
          <button type="submit" class="button-primary" data-testid="bind-submit" disabled={busy()}>
            {busy() ? 'Binding…' : 'Bind template'}
          </button>
        </div>
      </form>
    </section>
  );
}
