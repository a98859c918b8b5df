import type { ColumnType, TableChanges, TemplateColumn } from '@docprocessor/contracts';
import type { Queries } from '../client.js';
import type { StoredDefinition } from '../schema/import-templates.js';
import { qualified, quoteIdent, type TableName } from './sql-names.js';

/**
 * The PostgreSQL type the service gives each column type in the tables it makes (the built-ins' tables agree):
 * as DDL, and as the catalog then names it (pg_type.typname), which is what the binary encoders go by.
 */
export const MANAGED_COLUMN_TYPES: Readonly<Record<ColumnType, { ddl: string; typeName: string }>> = {
  string: { ddl: 'text', typeName: 'text' },
  email: { ddl: 'text', typeName: 'text' },
  enum: { ddl: 'text', typeName: 'text' },
  integer: { ddl: 'bigint', typeName: 'int8' },
  decimal: { ddl: 'numeric', typeName: 'numeric' },
  boolean: { ddl: 'boolean', typeName: 'bool' },
  date: { ddl: 'date', typeName: 'date' },
  timestamp: { ddl: 'timestamptz', typeName: 'timestamptz' },
  uuid: { ddl: 'uuid', typeName: 'uuid' },
  country: { ddl: 'char(2)', typeName: 'bpchar' },
};

/** Catalog types whose values are text, so a case-insensitive key compares them lower-cased. */
export const isTextLike = (typeName: string): boolean => ['text', 'varchar', 'bpchar', 'citext'].includes(typeName);

/** The catalog types of a managed table's columns, known without asking the catalog. */
export const managedTypeNames = (columns: readonly TemplateColumn[]): Array<{ name: string; kind: string }> =>
  columns.map((c) => ({ name: MANAGED_COLUMN_TYPES[c.type].typeName, kind: 'b' }));

/** Columns every template table carries, in the same types as the built-ins' (services/db schema/target-tables.ts). */
const LINEAGE_DDL = [
  'import_job_id uuid not null',
  'import_run_id uuid not null',
  'source_row bigint not null',
  'imported_at timestamptz not null default now()',
];

const columnDdl = (column: TemplateColumn, isKey: boolean): string =>
  `${quoteIdent(column.name)} ${MANAGED_COLUMN_TYPES[column.type].ddl}${column.required || isKey ? ' not null' : ''}`;

/** The unique index the upsert's ON CONFLICT names: lower() of text key columns when the key is case-insensitive. */
export function keyIndexExpressions(definition: StoredDefinition): string[] {
  return definition.key.map((name) => {
    const column = definition.columns.find((c) => c.name === name);
    const text = column && isTextLike(MANAGED_COLUMN_TYPES[column.type].typeName);
    return definition.keyCaseInsensitive && text ? `lower(${quoteIdent(name)})` : quoteIdent(name);
  });
}

/** Makes a managed template's schema and typed table, with its key's unique index and the lineage columns. */
export async function createManagedTable(sql: Queries, name: TableName, definition: StoredDefinition): Promise<void> {
  const columns = definition.columns.map((c) => columnDdl(c, definition.key.includes(c.name)));
  await sql.unsafe(`create schema if not exists ${quoteIdent(name.schema)}`);
  await sql.unsafe(`create table ${qualified(name)} (${[...columns, ...LINEAGE_DDL].join(', ')})`);
  await sql.unsafe(
    `create unique index ${quoteIdent(`${name.table}_key`)} on ${qualified(name)} (${keyIndexExpressions(definition)
      .map((e) => `(${e})`)
      .join(', ')})`,
  );
}

/** Applies a compatible change (compareTemplates): new optional columns, and columns that may now be empty. */
export async function alterManagedTable(sql: Queries, name: TableName, changes: TableChanges): Promise<void> {
  const steps = [
    ...changes.add.map((c) => `add column ${columnDdl(c, false)}`),
    ...changes.dropNotNull.map((c) => `alter column ${quoteIdent(c)} drop not null`),
  ];
  if (steps.length > 0) await sql.unsafe(`alter table ${qualified(name)} ${steps.join(', ')}`);
}

export async function dropManagedTable(sql: Queries, name: TableName): Promise<void> {
  await sql.unsafe(`drop table if exists ${qualified(name)}`);
}
