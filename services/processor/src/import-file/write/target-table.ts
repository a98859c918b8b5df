import { createHash } from 'node:crypto';
import { AppError, type CellValue, type Template } from '@docprocessor/contracts';
import { isTextLike, managedTypeNames, parseTableName, qualified, quoteIdent, readCatalog, type Queries } from '@docprocessor/db';

/** A column's PostgreSQL type as the binary encoders need it: its name (int4, numeric, ...) and kind (e: an enum). */
export interface SqlType {
  name: string;
  kind: string;
}

/** The SQL shape of a template's table: derived from the template and the table's catalog, so no template needs SQL of its own. */
export interface TargetTable {
  table: string;
  /** The session's staging table for upserts; named after the table's shape, so a changed table gets a new one. */
  staging: string;
  columns: string[];
  types: SqlType[];
  /** The key's columns: their places among `columns`, and their names. */
  keyIndexes: number[];
  keyNames: string[];
  /** ON CONFLICT target matching the table's unique key. */
  conflictTarget: string;
  /** Join condition between staging `s` and table `t` on the key. */
  keyJoin: string;
  /** The key of staging row `s` as text, for a duplicate_key error's value. */
  keyText: string;
  /** A validated row's key as the table compares it, for finding keys repeated inside a batch. */
  keyOf(values: readonly CellValue[]): string;
}

/** The target table of a template whose column types are known (the catalog's, or the service's own for a managed table). */
export function targetTableOf(
  template: Pick<Template, 'table' | 'key' | 'keyCaseInsensitive' | 'columns'>,
  types: readonly SqlType[],
): TargetTable {
  const name = parseTableName(template.table, 'public');
  const columns = template.columns.map((c) => quoteIdent(c.name));
  const keyIndexes = template.key.map((k) => template.columns.findIndex((c) => c.name === k));
  const lowered = keyIndexes.map((i) => template.keyCaseInsensitive && isTextLike(types[i]!.name));
  const keyExpr = (alias: string, n: number) =>
    lowered[n] ? `lower(${alias}.${columns[keyIndexes[n]!]})` : `${alias}.${columns[keyIndexes[n]!]}`;
  const shape = createHash('sha256')
    .update(JSON.stringify([name, columns, types]))
    .digest('hex')
    .slice(0, 16);
  return {
    table: qualified(name),
    staging: quoteIdent(`stage_${shape}`),
    columns,
    types: [...types],
    keyIndexes,
    keyNames: [...template.key],
    conflictTarget: `(${keyIndexes.map((i, n) => (lowered[n] ? `(lower(${columns[i]}))` : columns[i])).join(', ')})`,
    keyJoin: keyIndexes.map((_, n) => `${keyExpr('s', n)} = ${keyExpr('t', n)}`).join(' and '),
    keyText: keyIndexes.map((i) => `s.${columns[i]}::text`).join(` || ', ' || `),
    keyOf: (values) => keyIndexes.map((i, n) => (lowered[n] ? (values[i] ?? '').toLowerCase() : (values[i] ?? ''))).join('\u0000'),
  };
}

/** A managed template's table without asking the catalog: the types the service gives its columns (tools, tests). */
export const managedTargetTable = (template: Template): TargetTable => targetTableOf(template, managedTypeNames(template.columns));

/** The template's table as the catalog has it now; a template whose table has gone fails its job. */
export async function describeTargetTable(sql: Queries, template: Template): Promise<TargetTable> {
  const name = parseTableName(template.table, 'public');
  const catalog = await readCatalog(sql, name);
  if (!catalog) throw new AppError('target_missing', `The table ${template.table} of template ${template.name} does not exist any more`);
  const types = template.columns.map((column) => {
    const found = catalog.columns.find((c) => c.name === column.name);
    if (!found) throw new AppError('target_missing', `The table ${template.table} has no column ${column.name} any more`);
    return { name: found.typeName, kind: found.typeKind };
  });
  return targetTableOf(template, types);
}
