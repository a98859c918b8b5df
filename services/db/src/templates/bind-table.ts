import { INTEGER_LIMIT, LINEAGE_COLUMNS, type ColumnType, type TemplateColumn, type TemplateIssue } from '@docprocessor/contracts';
import type { StoredDefinition } from '../schema/import-templates.js';
import { isTextLike } from './managed-tables.js';
import type { CatalogColumn, CatalogKey, CatalogTable } from './read-catalog.js';

/** The template type a catalog type reads as; a type not here cannot be imported into (the binding names it). */
const TYPE_OF: Readonly<Record<string, ColumnType>> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  numeric: 'decimal',
  float4: 'decimal',
  float8: 'decimal',
  text: 'string',
  varchar: 'string',
  bpchar: 'string',
  citext: 'string',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamp',
  uuid: 'uuid',
};

const INTEGER_RANGE: Readonly<Record<string, [number, number]>> = {
  int2: [-32768, 32767],
  int4: [-2147483648, 2147483647],
  int8: [-INTEGER_LIMIT, INTEGER_LIMIT],
};

/** Template types a column of each catalog type may be read as, besides its own (TYPE_OF). */
const ALSO_READ_AS: Readonly<Partial<Record<ColumnType, readonly ColumnType[]>>> = {
  string: ['email', 'country', 'enum', 'uuid'],
  decimal: ['integer'],
};

const typeOf = (column: CatalogColumn): ColumnType | undefined => (column.typeKind === 'e' ? 'enum' : TYPE_OF[column.typeName]);

/** What the catalog says of a column, as a template column: its type and the rules its SQL type enforces. */
export function columnFromCatalog(column: CatalogColumn): TemplateColumn | undefined {
  const type = typeOf(column);
  if (!type) return undefined;
  const base: TemplateColumn = { name: column.name, type, required: column.notNull };
  const range = INTEGER_RANGE[column.typeName];
  if (range) return { ...base, min: range[0], max: range[1] };
  if (column.maxLength !== null) return { ...base, maxLength: column.maxLength };
  if (column.precision !== null && column.scale !== null) {
    const max = 10 ** (column.precision - column.scale) - 10 ** -column.scale;
    return { ...base, maxDecimals: column.scale, min: -max, max };
  }
  if (column.enumValues) return { ...base, values: column.enumValues };
  return base;
}

/** The tighter of the template's rule and the table's: the table would refuse anything beyond it anyway. */
function tighten(given: TemplateColumn, fromTable: TemplateColumn): TemplateColumn {
  const lower = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.max(a, b));
  const upper = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));
  const rules: Partial<TemplateColumn> = {
    min: lower(given.min, fromTable.min),
    max: upper(given.max, fromTable.max),
    maxLength: upper(given.maxLength, fromTable.maxLength),
    maxDecimals: upper(given.maxDecimals, fromTable.maxDecimals),
    values: given.values ?? fromTable.values,
  };
  const defined = Object.fromEntries(Object.entries(rules).filter(([, v]) => v !== undefined));
  return { ...given, ...defined, required: given.required || fromTable.required };
}

export interface BindInput {
  key?: string[] | undefined;
  keyCaseInsensitive?: boolean | undefined;
  columns?: TemplateColumn[] | undefined;
}

type Bound = { definition: StoredDefinition } | { issues: TemplateIssue[] };

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name) => b.includes(name));
}

/** The key: the one given, if a unique index or the primary key covers exactly those columns, else the table's own. */
function chooseKey(keys: CatalogKey[], input: BindInput): CatalogKey | TemplateIssue {
  if (!input.key)
    return keys[0] ?? { path: ['table'], message: 'has no primary key or unique index to match rows by: add one, or give a key with one' };
  const given = input.key;
  return (
    keys.find((k) => sameColumns(k.columns, given)) ?? {
      path: ['key'],
      message: `needs a primary key or unique index on exactly (${given.join(', ')}) in the table, for the upsert to match rows by`,
    }
  );
}

/**
 * A template bound to an existing table: its columns, types, NOT NULL, lengths, numeric precision and scale
 * and its key come from the catalog; columns given may narrow the rules, add aliases and formats, or read a
 * text column as email, country, enum or uuid. Columns PostgreSQL fills itself (generated, identity) stay out.
 */
export function bindToCatalog(table: CatalogTable, input: BindInput): Bound {
  const issues: TemplateIssue[] = [];
  const usable = table.columns.filter((c) => !(LINEAGE_COLUMNS as readonly string[]).includes(c.name) && !c.writeProtected);
  const byName = new Map(usable.map((c) => [c.name, c]));
  const columns: TemplateColumn[] = [];
  const importable = usable.flatMap((c) => columnFromCatalog(c) ?? []);
  (input.columns ?? importable).forEach((given, at) => {
    const column = byName.get(given.name);
    const fromTable = column && columnFromCatalog(column);
    if (!column) issues.push({ path: ['columns', at, 'name'], message: `the table has no column "${given.name}" it can write` });
    else if (!fromTable)
      issues.push({ path: ['columns', at, 'type'], message: `the column's type ${column.displayType} cannot be imported into` });
    else if (given.type !== fromTable.type && !(ALSO_READ_AS[fromTable.type] ?? []).includes(given.type))
      issues.push({ path: ['columns', at, 'type'], message: `a ${column.displayType} column cannot be read as ${given.type}` });
    else columns.push(input.columns ? tighten(given, fromTable) : fromTable);
  });
  for (const column of usable)
    if (column.notNull && !column.hasDefault && !columns.some((c) => c.name === column.name) && issues.length === 0)
      issues.push({
        path: ['columns'],
        message: typeOf(column)
          ? `must include "${column.name}": the table's column is NOT NULL and has no default`
          : `cannot leave out "${column.name}" (NOT NULL, no default), and its type ${column.displayType} cannot be imported into`,
      });
  const key = chooseKey(table.keys, input);
  if ('message' in key) issues.push(key);
  else {
    const missing = key.columns.filter((name) => !columns.some((c) => c.name === name));
    if (missing.length > 0)
      issues.push({ path: ['key'], message: `the key's columns (${missing.join(', ')}) must be columns of the template` });
    // Case-insensitive means every text key column is lower()ed in the index, and nothing else is.
    const text = key.columns.map((name) => isTextLike(table.columns.find((c) => c.name === name)?.typeName ?? ''));
    const lowered = text.some(Boolean) && key.lowered.every((l, i) => l === text[i]);
    if (key.lowered.some(Boolean) && !lowered)
      issues.push({
        path: ['key'],
        message: 'its unique index lowers some text columns of the key and not others, which a template cannot match',
      });
    if (input.keyCaseInsensitive !== undefined && input.keyCaseInsensitive !== lowered)
      issues.push({
        path: ['keyCaseInsensitive'],
        message: `must be ${lowered}: the table's unique index on the key ${lowered ? 'lowers' : 'does not lower'} its text`,
      });
    for (const c of columns) if (key.columns.includes(c.name)) c.required = true;
    if (issues.length === 0) return { definition: { key: key.columns, keyCaseInsensitive: lowered, columns } };
  }
  return { issues };
}
