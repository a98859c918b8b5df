import { Show } from 'solid-js';

/** The messages about one field, right under it; the field points at this with aria-describedby. */
export function FieldError(props: { id: string; field: string; messages: readonly string[] | undefined }) {
  return (
    <Show when={props.messages && props.messages.length > 0}>
      <p class="field-error" id={props.id} data-testid="field-error" data-field={props.field}>
        {props.messages?.join(' ')}
      </p>
    </Show>
  );
}

/** What a control says about its error: wire it with `{...invalidProps(id, messages)}`. */
export const invalidProps = (errorId: string, messages: readonly string[] | undefined) => {
  const invalid = !!messages && messages.length > 0;
  return { 'aria-invalid': invalid ? ('true' as const) : undefined, 'aria-describedby': invalid ? errorId : undefined };
};
