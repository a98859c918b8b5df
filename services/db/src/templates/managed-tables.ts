import type { ColumnType, TableChanges, TemplateColumn } from '@docprocessor/contracts';
import type { Queries } from '../client.js';
import type { StoredDefinition } from '../schema/import-templates.js';
import { qualified, quoteIdent, type TableName } from './sql-names.js';

/** The PostgreSQL type the service gives each column type in the tables it makes (the built-ins' tables agree). */
export const MANAGED_SQL_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'text',
  email: 'text',
  enum: 'text',
  integer: 'bigint',
  decimal: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamptz',
  uuid: 'uuid',
  country: 'char(2)',
};

/** Columns every template table carries, in the same types as the built-ins' (services/db schema/target-tables.ts). */
const LINEAGE_DDL = [
  'import_job_id uuid not null',
  'import_run_id uuid not null',
  'source_row bigint not null',
  'imported_at timestamptz not null default now()',
];

const columnDdl = (column: TemplateColumn, isKey: boolean): string =>
  `${quoteIdent(column.name)} ${MANAGED_SQL_TYPES[column.type]}${column.required || isKey ? ' not null' : ''}`;

/** The unique index the upsert's ON CONFLICT names: lower() of text key columns when the key is case-insensitive. */
export function keyIndexExpressions(definition: StoredDefinition): string[] {
  return definition.key.map((name) => {
    const column = definition.columns.find((c) => c.name === name);
    const text = column && MANAGED_SQL_TYPES[column.type] === 'text';
    return definition.keyCaseInsensitive && text ? `lower(${quoteIdent(name)})` : quoteIdent(name);
  });
}

/** Makes a managed template's schema and typed table, with its key's unique index and the lineage columns. */
export async function createManagedTable(sql: Queries, name: TableName, definition: StoredDefinition): Promise<void> {
  const columns = definition.columns.map((c) => columnDdl(c, definition.key.includes(c.name)));
  await sql.unsafe(`create schema if not exists ${quoteIdent(name.schema)}`);
  await sql.unsafe(`create table ${qualified(name)} (${[...columns, ...LINEAGE_DDL].join(', ')})`);
  await sql.unsafe(
    `create unique index ${quoteIdent(`${name.table}_key`)} on ${qualified(name)} (${keyIndexExpressions(definition).map((e) => `(${e})`).join(', ')})`,
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
