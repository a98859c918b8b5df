import {
  RULES_BY_TYPE,
  checkTemplateDefinition,
  comparableHeaderName,
  TemplateChange,
  TemplateInput,
  type ColumnType,
  type Preview,
  type RuleName,
  type Template,
  type TemplateColumn,
} from '@docprocessor/contracts';
import { newId } from './id';
import { RULE_FIELDS, ruleText, ruleValue } from './rule-fields';

/** One column as a form edits it: rules as the text typed, so a half-typed number is not lost. */
export interface ColumnDraft {
  id: string;
  name: string;
  type: ColumnType;
  required: boolean;
  /** Other header names, separated by commas. */
  aliases: string;
  /** Every rule's text, kept when the type changes so changing back restores it; only the type's rules are sent. */
  rules: Partial<Record<RuleName, string>>;
  /** Not edited here, sent back as it was. */
  description?: string | undefined;
  /** Values sampled from a file, shown as a reminder of what the column holds. */
  examples: string[];
}

export interface TemplateDraft {
  name: string;
  keyCaseInsensitive: boolean;
  columns: ColumnDraft[];
  /** Ids of the key columns, in key order. */
  key: string[];
}

export interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

export type DraftCheck<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

const RULE_NAMES = Object.keys(RULE_FIELDS) as RuleName[];

export function newColumnDraft(name = ''): ColumnDraft {
  return { id: newId(), name, type: 'string', required: false, aliases: '', rules: {}, examples: [] };
}

function columnDraftOf(column: TemplateColumn): ColumnDraft {
  const rules: ColumnDraft['rules'] = {};
  for (const rule of RULE_NAMES) if (column[rule] !== undefined) rules[rule] = ruleText(column[rule]);
  return {
    ...newColumnDraft(column.name),
    type: column.type,
    required: column.required,
    aliases: (column.aliases ?? []).join(', '),
    rules,
    description: column.description,
  };
}

export function draftOfTemplate(template: Template): TemplateDraft {
  const columns = template.columns.map(columnDraftOf);
  const idOf = (name: string) => columns.find((c) => c.name === name)?.id ?? name;
  return { name: template.name, keyCaseInsensitive: template.keyCaseInsensitive, columns, key: template.key.map(idOf) };
}

/** A header or file name as a table or column name the service accepts: `First Name` → `first_name`. */
export function sqlNameOf(text: string, fallback: string): string {
  const plain = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const name = plain.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (name === '') return fallback;
  return (/^[a-z]/.test(name) ? name : `c_${name}`).slice(0, 63);
}

/**
 * A first definition from a sample file's preview: each column named after its header (the header kept as an
 * alias when the names differ), its inferred type, required when no sampled cell was empty, and the likeliest
 * date format only: listing both day-first and month-first would read some rows one way and some the other.
 */
export function draftOfPreview(preview: Preview, filename: string): TemplateDraft {
  const taken = new Set<string>();
  const names = preview.columns.map((column) => {
    let name = sqlNameOf(column.header, `column_${column.index + 1}`);
    for (let n = 2; taken.has(name); n++) name = `${sqlNameOf(column.header, 'column').slice(0, 58)}_${n}`;
    taken.add(name);
    return name;
  });
  // A header is kept as an alias only if no column already answers to it (a file may repeat a header).
  const heard = new Set(names.map(comparableHeaderName));
  const columns = preview.columns.map((column, at) => {
    const name = names[at]!;
    const header = comparableHeaderName(column.header);
    const alias = preview.dialect.header && !heard.has(header) && header !== '';
    if (alias) heard.add(header);
    const draft: ColumnDraft = {
      ...newColumnDraft(name),
      type: column.type,
      required: !column.nullable,
      aliases: alias ? column.header : '',
      examples: column.examples,
    };
    if (column.formats?.[0]) draft.rules.formats = column.formats[0];
    return draft;
  });
  const id = columns.find((c) => c.name === 'id');
  return { name: sqlNameOf(filename.replace(/\.[^.]*$/, ''), 'my_template'), keyCaseInsensitive: false, columns, key: id ? [id.id] : [] };
}

function columnOf(draft: ColumnDraft): Record<string, unknown> {
  const column: Record<string, unknown> = { name: draft.name.trim(), type: draft.type, required: draft.required };
  const aliases = draft.aliases
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  if (aliases.length > 0) column.aliases = aliases;
  if (draft.description !== undefined) column.description = draft.description;
  for (const rule of RULES_BY_TYPE[draft.type]) {
    const value = ruleValue(RULE_FIELDS[rule].kind, draft.rules[rule] ?? '');
    if (value !== undefined) column[rule] = value;
  }
  return column;
}

/** The definition a draft stands for, unchecked: what the schemas are asked about and what is sent. */
export function definitionOf(draft: TemplateDraft) {
  const nameOf = (id: string) => draft.columns.find((c) => c.id === id)?.name.trim() ?? id;
  const key = draft.key.map(nameOf);
  return { key: key.length > 0 ? key : undefined, keyCaseInsensitive: draft.keyCaseInsensitive, columns: draft.columns.map(columnOf) };
}

export function checkNewTemplate(draft: TemplateDraft): DraftCheck<TemplateInput> {
  const parsed = TemplateInput.safeParse({ name: draft.name.trim(), ...definitionOf(draft) });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, issues: parsed.error.issues };
}

/** A change is checked like a definition whose table exists: `managed` says whether the service made it. */
export function checkTemplateChange(draft: TemplateDraft, managed: boolean): DraftCheck<TemplateChange> {
  const parsed = TemplateChange.safeParse(definitionOf(draft));
  if (!parsed.success) return { ok: false, issues: parsed.error.issues };
  const issues = checkTemplateDefinition(parsed.data, managed);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: parsed.data };
}

/** The field keys a draft's form shows messages at (see form-issues.ts); a message for any other lands at the top. */
export function fieldKeysOf(draft: TemplateDraft, withName: boolean): Set<string> {
  const keys = new Set(['key', 'keyCaseInsensitive', 'columns']);
  if (withName) keys.add('name');
  draft.columns.forEach((column, at) => {
    for (const field of ['', '.name', '.type', '.required', '.aliases', ...RULES_BY_TYPE[column.type].map((r) => `.${r}`)])
      keys.add(`columns.${at}${field}`);
  });
  return keys;
}
