import type { Template, TemplateColumn } from './template.js';

/** What a compatible change does to the template's table: columns to add, and columns that may now be empty. */
export interface TableChanges {
  add: TemplateColumn[];
  dropNotNull: string[];
}

export type ChangeVerdict = { compatible: true; table: TableChanges } | { compatible: false; reasons: string[] };

type Bound = 'min' | 'max' | 'minLength' | 'maxLength' | 'maxDecimals';

/** A lower bound may fall or go, an upper bound may rise or go: anything else could refuse rows the table holds. */
function tightened(before: TemplateColumn, after: TemplateColumn, bound: Bound): boolean {
  const was = before[bound];
  const now = after[bound];
  if (now === undefined) return false;
  if (was === undefined) return true;
  return bound === 'min' || bound === 'minLength' ? now > was : now < was;
}

function columnReasons(before: TemplateColumn, after: TemplateColumn): string[] {
  const name = before.name;
  if (before.type !== after.type) return [`column ${name} cannot change its type (${before.type} → ${after.type})`];
  const reasons: string[] = [];
  if (!before.required && after.required)
    reasons.push(`column ${name} cannot become required: rows already in the table may have it empty`);
  for (const bound of ['min', 'max', 'minLength', 'maxLength', 'maxDecimals'] as const)
    if (tightened(before, after, bound))
      reasons.push(`column ${name}: ${bound} can only be relaxed (${before[bound] ?? 'none'} → ${after[bound]})`);
  if (after.pattern !== undefined && after.pattern !== before.pattern)
    reasons.push(`column ${name}: a new pattern could refuse rows already in the table`);
  const dropped = (before.values ?? []).filter((value) => !(after.values ?? []).includes(value));
  if (dropped.length > 0) reasons.push(`column ${name}: values cannot be removed (${dropped.join(', ')})`);
  return reasons;
}

/**
 * Whether a new definition may replace a template's on the same table. Compatible: optional columns added,
 * rules relaxed, aliases, descriptions and input formats changed. Everything else could orphan or refuse data
 * already imported, so it is refused (409 incompatible_change) with every reason.
 */
export function compareTemplates(
  before: Pick<Template, 'key' | 'keyCaseInsensitive' | 'columns'>,
  after: Pick<Template, 'key' | 'keyCaseInsensitive' | 'columns'>,
): ChangeVerdict {
  const reasons: string[] = [];
  if (before.key.join('\u0000') !== after.key.join('\u0000'))
    reasons.push(`the key cannot change (${before.key.join(', ')} → ${after.key.join(', ')})`);
  if (before.keyCaseInsensitive !== after.keyCaseInsensitive) reasons.push('keyCaseInsensitive cannot change: it is part of the key');
  const next = new Map(after.columns.map((c) => [c.name, c]));
  const table: TableChanges = { add: [], dropNotNull: [] };
  for (const column of before.columns) {
    const changed = next.get(column.name);
    if (!changed) {
      reasons.push(`column ${column.name} cannot be removed: the table holds its data`);
      continue;
    }
    reasons.push(...columnReasons(column, changed));
    if (column.required && !changed.required) table.dropNotNull.push(column.name);
  }
  const known = new Set(before.columns.map((c) => c.name));
  for (const column of after.columns.filter((c) => !known.has(c.name))) {
    if (column.required) reasons.push(`a new column (${column.name}) must be optional: the rows already in the table do not have it`);
    else table.add.push(column);
  }
  return reasons.length > 0 ? { compatible: false, reasons } : { compatible: true, table };
}
