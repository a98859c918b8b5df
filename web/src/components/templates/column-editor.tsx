import { For, Show } from 'solid-js';
import { ColumnType, RULES_BY_TYPE, type RuleName } from '@docprocessor/contracts';
import type { ColumnDraft } from '../../lib/template-draft';
import { FieldError, invalidProps } from '../field-error';
import { RuleField } from './rule-field';

export interface ColumnEditorProps {
  column: ColumnDraft;
  index: number;
  /** 1-based position in the key, or 0 when the column is not a key column. */
  keyPosition: number;
  /** How many columns the key has. */
  keySize: number;
  idPrefix: string;
  errorsAt: (field: string) => readonly string[] | undefined;
  onChange: (patch: Partial<Pick<ColumnDraft, 'name' | 'type' | 'required' | 'aliases'>>) => void;
  onRule: (rule: RuleName, text: string) => void;
  onToggleKey: (on: boolean) => void;
  onRemove: () => void;
}

/** One column of a template form: name, type, required, key, aliases and the rules its type takes. */
export function ColumnEditor(props: ColumnEditorProps) {
  const id = (field: string) => `${props.idPrefix}-${props.column.id}-${field}`;
  const at = (field: string) => (field ? `columns.${props.index}.${field}` : `columns.${props.index}`);
  const errors = (field: string) => props.errorsAt(at(field));
  const title = () => props.column.name.trim() || `Column ${props.index + 1}`;

  return (
    <fieldset
      class="column-editor"
      data-testid="column-editor"
      data-column={props.column.name}
      aria-invalid={errors('') ? 'true' : undefined}
    >
      <legend class="column-title">
        <span>{title()}</span>
        <Show when={props.keyPosition > 0}>
          <span class="note note-info">key{props.keySize > 1 ? ` ${props.keyPosition} of ${props.keySize}` : ''}</span>
        </Show>
      </legend>
      <FieldError id={id('error')} field={at('')} messages={errors('')} />
      <div class="column-grid">
        <div class="field">
          <label class="field-label" for={id('name')}>
            Name
          </label>
          <input
            id={id('name')}
            type="text"
            value={props.column.name}
            autocomplete="off"
            spellcheck={false}
            data-testid="column-name"
            {...invalidProps(id('name-error'), errors('name'))}
            onInput={(e) => props.onChange({ name: e.currentTarget.value })}
          />
          <FieldError id={id('name-error')} field={at('name')} messages={errors('name')} />
        </div>
        <div class="field">
          <label class="field-label" for={id('type')}>
            Type
          </label>
          <select
            id={id('type')}
            value={props.column.type}
            data-testid="column-type"
            {...invalidProps(id('type-error'), errors('type'))}
            onChange={(e) => props.onChange({ type: e.currentTarget.value as ColumnType })}
          >
            {/* `selected` on the option: a select's value set before its options exist selects nothing */}
            <For each={ColumnType.options}>
              {(type) => (
                <option value={type} selected={type === props.column.type}>
                  {type}
                </option>
              )}
            </For>
          </select>
          <FieldError id={id('type-error')} field={at('type')} messages={errors('type')} />
        </div>
        <div class="field column-flags">
          <label class="check">
            <input
              type="checkbox"
              checked={props.column.required}
              data-testid="column-required"
              onChange={(e) => props.onChange({ required: e.currentTarget.checked })}
            />
            Required
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={props.keyPosition > 0}
              data-testid="column-key"
              onChange={(e) => props.onToggleKey(e.currentTarget.checked)}
            />
            Key
          </label>
        </div>
        <div class="field column-aliases">
          <label class="field-label" for={id('aliases')}>
            Other header names <span class="hint">(comma-separated)</span>
          </label>
          <input
            id={id('aliases')}
            type="text"
            value={props.column.aliases}
            data-testid="column-aliases"
            {...invalidProps(id('aliases-error'), errors('aliases'))}
            onInput={(e) => props.onChange({ aliases: e.currentTarget.value })}
          />
          <FieldError id={id('aliases-error')} field={at('aliases')} messages={errors('aliases')} />
        </div>
        <For each={RULES_BY_TYPE[props.column.type]}>
          {(rule) => (
            <RuleField
              rule={rule}
              type={props.column.type}
              text={props.column.rules[rule] ?? ''}
              onInput={(text) => props.onRule(rule, text)}
              id={id(rule)}
              field={at(rule)}
              errors={errors(rule)}
            />
          )}
        </For>
      </div>
      <div class="column-foot">
        <Show when={props.column.examples.length > 0}>
          <p class="hint examples" data-testid="column-examples">
            Sample: <For each={props.column.examples.slice(0, 5)}>{(value) => <code class="chip">{value}</code>}</For>
          </p>
        </Show>
        <button type="button" class="link-button link-danger" data-testid="column-remove" onClick={() => props.onRemove()}>
          Remove {title()}
        </button>
      </div>
    </fieldset>
  );
}
