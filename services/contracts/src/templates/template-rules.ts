import { z } from 'zod';
import { DateFormat, TimestampFormat } from './date-formats.js';
import { comparableHeaderName } from './header.js';
import { ColumnName, MaxErrorRate, MaxErrors, TemplateColumn, TemplateName, type ColumnType } from './template.js';

export type RuleName = 'minLength' | 'maxLength' | 'min' | 'max' | 'maxDecimals' | 'pattern' | 'patternHint' | 'values' | 'formats';

/** The rules each column type takes; any other rule on a column is refused, so no rule is silently ignored. */
export const RULES_BY_TYPE: Readonly<Record<ColumnType, readonly RuleName[]>> = {
  string: ['minLength', 'maxLength', 'pattern', 'patternHint'],
  email: ['maxLength'],
  integer: ['min', 'max'],
  decimal: ['min', 'max', 'maxDecimals'],
  boolean: [],
  date: ['formats'],
  timestamp: ['formats'],
  uuid: [],
  enum: ['values'],
  country: [],
};

const RULE_NAMES: readonly RuleName[] = [
  'minLength',
  'maxLength',
  'min',
  'max',
  'maxDecimals',
  'pattern',
  'patternHint',
  'values',
  'formats',
];

/** Columns every template table carries besides its own: which job and run wrote a row, from which data row, when. */
export const LINEAGE_COLUMNS = ['import_job_id', 'import_run_id', 'source_row', 'imported_at'] as const;

/** Integers are kept exactly as JavaScript numbers: beyond this a value would round. */
export const INTEGER_LIMIT = Number.MAX_SAFE_INTEGER;

/** `schema.table` or `table` as PostgreSQL spells it; always quoted, so case matters. */
export const QualifiedTableName = z
  .string()
  .regex(/^([A-Za-z_][A-Za-z0-9_$]{0,62}\.)?[A-Za-z_][A-Za-z0-9_$]{0,62}$/, 'must be "table" or "schema.table" (letters, digits, _ and $)');

const KeyInput = z.union([ColumnName, z.array(ColumnName).min(1).max(8)]).transform((key) => (Array.isArray(key) ? key : [key]));

export interface TemplateIssue {
  path: (string | number)[];
  message: string;
}
type Issue = TemplateIssue;

/** "an integer column", "a date column". */
const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

function checkColumn(column: TemplateColumn, at: number, managed: boolean): Issue[] {
  const issues: Issue[] = [];
  const path = (field: string) => ['columns', at, field];
  const allowed = RULES_BY_TYPE[column.type];
  for (const rule of RULE_NAMES)
    if (column[rule] !== undefined && !allowed.includes(rule))
      issues.push({
        path: path(rule),
        message: `is not a rule of ${article(column.type)} ${column.type} column (its rules: ${allowed.join(', ') || 'none'})`,
      });
  if (managed && !TemplateName.safeParse(column.name).success)
    issues.push({
      path: path('name'),
      message: 'must be a lowercase letter, then lowercase letters, digits or _ (at most 63) in a table the service makes',
    });
  if ((LINEAGE_COLUMNS as readonly string[]).includes(column.name))
    issues.push({ path: path('name'), message: `is a lineage column every template table has (${LINEAGE_COLUMNS.join(', ')})` });
  if (column.minLength !== undefined && column.maxLength !== undefined && column.minLength > column.maxLength)
    issues.push({ path: path('minLength'), message: `must not be greater than maxLength (${column.maxLength})` });
  if (column.min !== undefined && column.max !== undefined && column.min > column.max)
    issues.push({ path: path('min'), message: `must not be greater than max (${column.max})` });
  if (column.type === 'integer')
    for (const bound of ['min', 'max'] as const) {
      const value = column[bound];
      if (value !== undefined && (!Number.isInteger(value) || Math.abs(value) > INTEGER_LIMIT))
        issues.push({ path: path(bound), message: `must be a whole number between -${INTEGER_LIMIT} and ${INTEGER_LIMIT}` });
    }
  if (column.pattern !== undefined) {
    try {
      new RegExp(column.pattern);
    } catch (error) {
      issues.push({ path: path('pattern'), message: `is not a valid regular expression: ${(error as Error).message}` });
    }
  }
  if (column.type === 'enum' && column.values === undefined)
    issues.push({ path: path('values'), message: 'is required for an enum column' });
  if (column.values && new Set(column.values).size !== column.values.length)
    issues.push({ path: path('values'), message: 'must not list a value twice' });
  const formats = column.type === 'date' ? DateFormat : column.type === 'timestamp' ? TimestampFormat : null;
  column.formats?.forEach((format, i) => {
    if (formats && !formats.safeParse(format).success)
      issues.push({ path: [...path('formats'), i], message: `is not a ${column.type} format (one of: ${formats.options.join(', ')})` });
  });
  return issues;
}

/** Column names and aliases must tell columns apart the way headers are matched: case, spaces, _ and - aside. */
function checkNames(columns: readonly TemplateColumn[]): Issue[] {
  const issues: Issue[] = [];
  const owner = new Map<string, number>();
  columns.forEach((column, at) => {
    for (const [name, field] of [[column.name, 'name'], ...(column.aliases ?? []).map((a, i) => [a, `aliases.${i}`])] as const) {
      const comparable = comparableHeaderName(name);
      const earlier = owner.get(comparable);
      if (earlier !== undefined && (earlier !== at || field === 'name'))
        issues.push({
          path: ['columns', at, ...field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))],
          message: `"${name}" is the same header name as column ${columns[earlier]?.name}'s`,
        });
      owner.set(comparable, at);
    }
  });
  return issues;
}

const TemplateFields = z
  .object({
    name: TemplateName,
    key: KeyInput.optional(),
    keyCaseInsensitive: z.boolean().optional(),
    table: QualifiedTableName.optional(),
    columns: z.array(TemplateColumn).min(1).max(1000).optional(),
    maxErrors: MaxErrors.optional(),
    maxErrorRate: MaxErrorRate.optional(),
  })
  .strict();

/** What is wrong with a definition, field by field; `managed`: the service makes (or made) its table. */
export function checkTemplateDefinition(input: Omit<z.infer<typeof TemplateFields>, 'name' | 'table'>, managed: boolean): Issue[] {
  const issues: Issue[] = [];
  if (managed && !input.columns) issues.push({ path: ['columns'], message: 'are required unless the template binds to an existing table' });
  if (managed && !input.key) issues.push({ path: ['key'], message: 'is required unless the template binds to an existing table' });
  const columns = input.columns ?? [];
  issues.push(...columns.flatMap((column, at) => checkColumn(column, at, managed)), ...checkNames(columns));
  input.key?.forEach((name, i) => {
    if (input.columns && !columns.some((c) => c.name === name))
      issues.push({ path: ['key', i], message: `"${name}" is not one of the columns` });
  });
  if (input.key && new Set(input.key).size !== input.key.length) issues.push({ path: ['key'], message: 'must not name a column twice' });
  return issues;
}

/**
 * POST /api/templates: a template to make. Without `table` the service makes its table from `columns`;
 * with it the template binds to that table, and `columns` and `key` may be left to its catalog. Key
 * columns are required whatever the column says: a row without its key cannot be written.
 */
export const TemplateInput = TemplateFields.superRefine((input, ctx) => {
  for (const issue of checkTemplateDefinition(input, input.table === undefined)) ctx.addIssue({ code: 'custom', ...issue });
});
export type TemplateInput = z.infer<typeof TemplateInput>;

/**
 * PUT /api/templates/:name: the whole new definition; its name and table stay the template's own
 * (check it with checkTemplateDefinition).
 */
export const TemplateChange = TemplateFields.omit({ name: true, table: true });
export type TemplateChange = z.infer<typeof TemplateChange>;

/** The first problem of a definition, naming its field, as `invalid_template` says it. */
export function describeTemplateIssue(issue: { path: readonly PropertyKey[]; message: string }): string {
  const field = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
  return `${field || 'template'}: ${issue.message}`;
}
