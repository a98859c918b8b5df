import { DateFormat, TimestampFormat, type ColumnType, type RuleName } from '@docprocessor/contracts';

/** How a rule is typed into a form: which rules a type takes is RULES_BY_TYPE's to say, not this file's. */
export type RuleKind = 'integer' | 'number' | 'text' | 'lines' | 'formats';

export interface RuleField {
  label: string;
  kind: RuleKind;
  hint?: string;
}

// A Record over RuleName: a rule added to the contract does not compile until it has a field here.
export const RULE_FIELDS: Readonly<Record<RuleName, RuleField>> = {
  minLength: { label: 'Min length', kind: 'integer', hint: 'characters, after trimming' },
  maxLength: { label: 'Max length', kind: 'integer', hint: 'characters, after trimming' },
  min: { label: 'Minimum', kind: 'number' },
  max: { label: 'Maximum', kind: 'number' },
  maxDecimals: { label: 'Max decimals', kind: 'integer', hint: 'digits after the point' },
  pattern: { label: 'Pattern', kind: 'text', hint: 'a regular expression the whole text must match' },
  patternHint: { label: 'Pattern hint', kind: 'text', hint: 'how the pattern reads in a row error' },
  values: { label: 'Values', kind: 'lines', hint: 'one accepted value per line' },
  formats: { label: 'Input formats', kind: 'formats', hint: 'tried in the order they were ticked; none means ISO' },
};

/** The input formats a `date` or `timestamp` column may list, from the contract's enums. */
export const formatsOf = (type: ColumnType): readonly string[] =>
  type === 'date' ? DateFormat.options : type === 'timestamp' ? TimestampFormat.options : [];

/** A rule's value as a form holds it (text), and back. Numbers that do not parse become NaN, which the schema refuses. */
export function ruleText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.join('\n');
  return String(value);
}

export function ruleValue(kind: RuleKind, text: string): unknown {
  if (kind === 'text') return text === '' ? undefined : text;
  if (kind === 'lines' || kind === 'formats') {
    const items = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
    return items.length > 0 ? items : undefined;
  }
  return text.trim() === '' ? undefined : Number(text.trim());
}
