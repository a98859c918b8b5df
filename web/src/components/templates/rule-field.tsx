import { For, Match, Switch } from 'solid-js';
import type { ColumnType, RuleName } from '@docprocessor/contracts';
import { formatsOf, RULE_FIELDS } from '../../lib/rule-fields';
import { FieldError, invalidProps } from '../field-error';

export interface RuleFieldProps {
  rule: RuleName;
  type: ColumnType;
  /** The rule's text: a number, a pattern, or one item per line. */
  text: string;
  onInput: (text: string) => void;
  /** Unique per rule and column. */
  id: string;
  /** Its key among the form's fields (`columns.2.maxLength`). */
  field: string;
  errors: readonly string[] | undefined;
}

/** One rule of one column, edited with the control its kind asks for. */
export function RuleField(props: RuleFieldProps) {
  const spec = () => RULE_FIELDS[props.rule];
  const errorId = () => `${props.id}-error`;
  return (
    <div class="field rule-field" classList={{ 'rule-field-wide': spec().kind === 'formats' || spec().kind === 'lines' }}>
      <Switch>
        <Match when={spec().kind === 'formats'}>
          <FormatsField {...props} />
        </Match>
        <Match when={spec().kind === 'lines'}>
          <label class="field-label" for={props.id}>
            {spec().label}
          </label>
          <textarea
            id={props.id}
            rows={3}
            value={props.text}
            title={spec().hint}
            data-testid="rule-input"
            data-rule={props.rule}
            {...invalidProps(errorId(), props.errors)}
            onInput={(e) => props.onInput(e.currentTarget.value)}
          />
        </Match>
        <Match when={true}>
          <label class="field-label" for={props.id}>
            {spec().label}
          </label>
          <input
            id={props.id}
            type="text"
            inputmode={spec().kind === 'text' ? undefined : 'decimal'}
            value={props.text}
            title={spec().hint}
            data-testid="rule-input"
            data-rule={props.rule}
            {...invalidProps(errorId(), props.errors)}
            onInput={(e) => props.onInput(e.currentTarget.value)}
          />
        </Match>
      </Switch>
      <FieldError id={errorId()} field={props.field} messages={props.errors} />
    </div>
  );
}

/** Formats as checkboxes; the list keeps the order they were ticked in, which is the order they are tried. */
function FormatsField(props: RuleFieldProps) {
  const chosen = () => props.text.split('\n').filter((f) => f !== '');
  const toggle = (format: string, on: boolean) =>
    props.onInput((on ? [...chosen().filter((f) => f !== format), format] : chosen().filter((f) => f !== format)).join('\n'));
  return (
    <fieldset class="formats" data-testid="rule-input" data-rule="formats" {...invalidProps(`${props.id}-error`, props.errors)}>
      <legend class="field-label">
        {RULE_FIELDS.formats.label} <span class="hint">({RULE_FIELDS.formats.hint})</span>
      </legend>
      <div class="format-options">
        <For each={formatsOf(props.type)}>
          {(format) => {
            const position = () => chosen().indexOf(format);
            return (
              <label class="check">
                <input type="checkbox" checked={position() >= 0} onChange={(e) => toggle(format, e.currentTarget.checked)} />
                <code>{format}</code>
                <span class="format-order" aria-hidden="true">
                  {position() >= 0 && chosen().length > 1 ? position() + 1 : ''}
                </span>
              </label>
            );
          }}
        </For>
      </div>
    </fieldset>
  );
}
