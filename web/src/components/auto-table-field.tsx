import { FieldError, invalidProps } from './field-error';

/** With `template=auto`: the name of the template and table the file becomes. */
export function AutoTableField(props: { value: string; error: string | null; onInput: (value: string) => void }) {
  const messages = () => (props.error ? [props.error] : undefined);
  return (
    <>
      <label class="field-label" for="auto-table">
        Name of the new template and its table
      </label>
      <input
        id="auto-table"
        type="text"
        value={props.value}
        autocomplete="off"
        spellcheck={false}
        data-testid="auto-table-input"
        {...invalidProps('auto-table-error', messages())}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <FieldError id="auto-table-error" field="table" messages={messages()} />
      <p class="hint">The file’s columns and types are inferred; the template can be edited under Templates afterwards.</p>
    </>
  );
}
