import { BUILT_IN_TEMPLATES, type Template } from '@docprocessor/contracts';
import type { DbClient, Queries } from '../client.js';
import { importTemplates, type ImportTemplateRow } from '../schema/import-templates.js';
import { rowFromSql } from '../jobs/job-from-sql.js';
import { displayName, parseTableName } from './sql-names.js';

/** The public template of a stored row. */
export function toTemplate(row: ImportTemplateRow): Template {
  return {
    name: row.name,
    key: row.definition.key,
    keyCaseInsensitive: row.definition.keyCaseInsensitive,
    table: displayName({ schema: row.tableSchema, table: row.tableName }),
    managed: row.managed,
    builtIn: row.tenantId === null,
    columns: row.definition.columns,
    ...(row.definition.maxErrors === undefined ? {} : { maxErrors: row.definition.maxErrors }),
    ...(row.definition.maxErrorRate === undefined ? {} : { maxErrorRate: row.definition.maxErrorRate }),
    createdAt: row.tenantId === null ? null : row.createdAt.toISOString(),
    updatedAt: row.tenantId === null ? null : row.updatedAt.toISOString(),
  };
}

const templateFromSql = rowFromSql(importTemplates);

/** A template a tenant can use: its own, or a built-in. `forUpdate` locks the row for the rest of a transaction. */
export async function findTemplateRow(
  sql: Queries,
  tenantId: string,
  name: string,
  forUpdate = false,
): Promise<ImportTemplateRow | undefined> {
  const [record] = await sql`
    select * from import_templates where name = ${name} and (tenant_id = ${tenantId} or tenant_id is null)
    order by tenant_id nulls last limit 1 ${forUpdate ? sql`for update` : sql``}`;
  return record ? templateFromSql(record) : undefined;
}

export async function findTemplate(db: DbClient, tenantId: string, name: string): Promise<Template | undefined> {
  const row = await findTemplateRow(db.sql, tenantId, name);
  return row && toTemplate(row);
}

/** The built-ins first, then the tenant's own by name. */
export async function listTemplates(db: DbClient, tenantId: string): Promise<Template[]> {
  const records = await db.sql`
    select * from import_templates where tenant_id = ${tenantId} or tenant_id is null
    order by tenant_id nulls first, name`;
  return records.map((record) => toTemplate(templateFromSql(record)));
}

/**
 * Writes the built-in definitions into the store (after the migrations, which make their tables): they are
 * read from there like any tenant's, so a new built-in or a changed rule ships as code and lands here.
 */
export async function seedBuiltInTemplates(sql: Queries): Promise<void> {
  for (const template of BUILT_IN_TEMPLATES) {
    const name = parseTableName(template.table, 'public');
    const definition = { key: template.key, keyCaseInsensitive: template.keyCaseInsensitive, columns: template.columns };
    await sql`
      insert into import_templates (tenant_id, name, table_schema, table_name, managed, definition)
      values (null, ${template.name}, ${name.schema}, ${name.table}, true, ${JSON.stringify(definition)}::jsonb)
      on conflict (coalesce(tenant_id, ''), name) do update set definition = excluded.definition, updated_at = now()
      where import_templates.definition is distinct from excluded.definition`;
  }
}
