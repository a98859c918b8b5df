import { createHash } from 'node:crypto';

/** An identifier as SQL text: always quoted, so a name a person chose is never read as SQL. */
export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export interface TableName {
  schema: string;
  table: string;
}

export const qualified = ({ schema, table }: TableName): string => `${quoteIdent(schema)}.${quoteIdent(table)}`;

/** `schema.table` as a person writes it (unquoted), for messages and the API. */
export const displayName = ({ schema, table }: TableName): string => `${schema}.${table}`;

/** Reads `schema.table` or `table` (in `defaultSchema`); the parts were checked by QualifiedTableName. */
export function parseTableName(text: string, defaultSchema: string): TableName {
  const dot = text.indexOf('.');
  return dot < 0 ? { schema: defaultSchema, table: text } : { schema: text.slice(0, dot), table: text.slice(dot + 1) };
}

const MAX_IDENTIFIER = 63;

/**
 * The PostgreSQL schema of a tenant's managed tables, so two tenants can each have `customers`. Tenant ids
 * are 1 to 64 letters, digits, - and _; a long one is shortened with a hash to fit PostgreSQL's 63 bytes.
 */
export function tenantSchema(tenantId: string): string {
  const name = `tenant_${tenantId}`;
  if (name.length <= MAX_IDENTIFIER) return name;
  const hash = createHash('sha256').update(tenantId).digest('hex').slice(0, 12);
  return `${name.slice(0, MAX_IDENTIFIER - 13)}_${hash}`;
}
