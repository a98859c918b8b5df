import {
  AppError,
  checkTemplateDefinition,
  compareTemplates,
  describeTemplateIssue,
  FINAL_STATUSES,
  LINEAGE_COLUMNS,
  type Template,
  type TemplateChange,
  type TemplateInput,
  type TemplateIssue,
} from '@docprocessor/contracts';
import type { DbClient, Queries } from '../client.js';
import type { StoredDefinition } from '../schema/import-templates.js';
import { bindToCatalog } from './bind-table.js';
import { alterManagedTable, createManagedTable, dropManagedTable } from './managed-tables.js';
import { readCatalog } from './read-catalog.js';
import { displayName, parseTableName, qualified, quoteIdent, tenantSchema, type TableName } from './sql-names.js';
import { type AuditRecord, recordAudit } from '../people/audit-log.js';
import { findTemplateRow, toTemplate } from './template-store.js';

const invalid = (issue: TemplateIssue) => new AppError('invalid_template', describeTemplateIssue(issue));

/** The service's own tables: a template may never write to them. */
const OWN_TABLES = new Set(['import_jobs', 'import_row_errors', 'api_keys', 'import_templates', 'template_mappings']);

/** Tables a tenant may bind to: not the catalog's, not the service's own, not another tenant's schema. */
function checkBindable(name: TableName, tenantId: string): void {
  const refuse = (why: string) => {
    throw new AppError('invalid_template', `table: ${displayName(name)} ${why}`);
  };
  if (name.schema.startsWith('pg_') || name.schema === 'information_schema' || name.schema === 'drizzle') refuse('is a system table');
  if (name.schema === 'public' && OWN_TABLES.has(name.table)) refuse("is one of DocProcessor's own tables");
  if (name.schema.startsWith('tenant_') && name.schema !== tenantSchema(tenantId)) refuse("is in another tenant's schema");
}

/** An upload's error thresholds when it gives none; they change no table, so any change of them is compatible. */
const thresholds = (input: Pick<TemplateInput, 'maxErrors' | 'maxErrorRate'>) => ({
  ...(input.maxErrors === undefined ? {} : { maxErrors: input.maxErrors }),
  ...(input.maxErrorRate === undefined ? {} : { maxErrorRate: input.maxErrorRate }),
});

/** Key columns hold a value in every row, whatever the definition says. */
const withKeyRequired = (definition: StoredDefinition): StoredDefinition => ({
  ...definition,
  columns: definition.columns.map((c) => (definition.key.includes(c.name) ? { ...c, required: true } : c)),
});

async function insertTemplate(
  sql: Queries,
  tenantId: string,
  name: string,
  table: TableName,
  managed: boolean,
  definition: StoredDefinition,
) {
  const [record] = await sql`
    insert into import_templates (tenant_id, name, table_schema, table_name, managed, definition)
    values (${tenantId}, ${name}, ${table.schema}, ${table.table}, ${managed}, ${JSON.stringify(definition)}::jsonb)
    on conflict do nothing
    returning id`;
  if (!record) throw new AppError('template_exists', `A template named ${name} exists already`);
}

/** Binding adds the lineage columns a table lacks, nullable so that rows already there stay valid. */
async function addLineage(sql: Queries, table: TableName): Promise<void> {
  const types: Record<(typeof LINEAGE_COLUMNS)[number], string> = {
    import_job_id: 'uuid',
    import_run_id: 'uuid',
    source_row: 'bigint',
    imported_at: 'timestamptz default now()',
  };
  const steps = LINEAGE_COLUMNS.map((c) => `add column if not exists ${quoteIdent(c)} ${types[c]}`);
  await sql.unsafe(`alter table ${qualified(table)} ${steps.join(', ')}`);
}

async function bindDefinition(sql: Queries, table: TableName, input: Pick<TemplateInput, 'key' | 'keyCaseInsensitive' | 'columns'>) {
  const catalog = await readCatalog(sql, table);
  if (!catalog) throw new AppError('invalid_template', `table: there is no table ${displayName(table)} (names are case-sensitive)`);
  const bound = bindToCatalog(catalog, input);
  if ('issues' in bound) throw invalid(bound.issues[0]!);
  const issue = checkTemplateDefinition(bound.definition, false)[0];
  if (issue) throw invalid(issue);
  return bound.definition;
}

/**
 * POST /api/templates. Without `table`, the service makes a typed table in the tenant's schema; with it, the
 * template binds to that table. Either way the table, its lineage columns and the template commit together.
 */
export async function createTemplate(db: DbClient, tenantId: string, input: TemplateInput, audit?: AuditRecord): Promise<Template> {
  return db.sql.begin(async (sql) => {
    if (await findTemplateRow(sql, tenantId, input.name))
      throw new AppError('template_exists', `A template named ${input.name} exists already`);
    if (input.table === undefined) {
      const table = { schema: tenantSchema(tenantId), table: input.name };
      const definition = withKeyRequired({
        key: input.key!,
        keyCaseInsensitive: input.keyCaseInsensitive ?? false,
        columns: input.columns!,
        ...thresholds(input),
      });
      if (await readCatalog(sql, table))
        throw new AppError(
          'template_exists',
          `A table ${displayName(table)} exists already: bind to it with "table": "${displayName(table)}"`,
        );
      await createManagedTable(sql, table, definition);
      await insertTemplate(sql, tenantId, input.name, table, true, definition);
    } else {
      const table = parseTableName(input.table, 'public');
      checkBindable(table, tenantId);
      const definition = { ...(await bindDefinition(sql, table, input)), ...thresholds(input) };
      await addLineage(sql, table);
      await insertTemplate(sql, tenantId, input.name, table, false, definition);
    }
    if (audit) await recordAudit(sql, audit);
    return toTemplate((await findTemplateRow(sql, tenantId, input.name))!);
  });
}

/** PUT /api/templates/:name: a compatible change is applied to the template and its table together. */
export async function changeTemplate(
  db: DbClient,
  tenantId: string,
  name: string,
  change: TemplateChange,
  audit?: AuditRecord,
): Promise<Template> {
  return db.sql.begin(async (sql) => {
    const row = await findTemplateRow(sql, tenantId, name, true);
    if (!row) throw new AppError('not_found', `No template ${name}`);
    if (row.tenantId === null) throw new AppError('built_in_template', `${name} is a built-in template: it cannot be changed`);
    const table = { schema: row.tableSchema, table: row.tableName };
    const issue = checkTemplateDefinition(change, row.managed)[0];
    if (issue) throw invalid(issue);
    const next = row.managed
      ? withKeyRequired({
          key: change.key ?? row.definition.key,
          keyCaseInsensitive: change.keyCaseInsensitive ?? row.definition.keyCaseInsensitive,
          columns: change.columns ?? row.definition.columns,
        })
      : await bindDefinition(sql, table, {
          key: change.key ?? row.definition.key,
          keyCaseInsensitive: change.keyCaseInsensitive,
          columns: change.columns ?? row.definition.columns,
        });
    Object.assign(next, thresholds(change));
    const verdict = compareTemplates(row.definition, next);
    if (!verdict.compatible) throw new AppError('incompatible_change', `This change cannot be applied: ${verdict.reasons.join('; ')}`);
    if (row.managed) await alterManagedTable(sql, table, verdict.table);
    await sql`update import_templates set definition = ${JSON.stringify(next)}::jsonb, updated_at = now() where id = ${row.id}`;
    if (audit) await recordAudit(sql, audit);
    return toTemplate((await findTemplateRow(sql, tenantId, name))!);
  });
}

/**
 * DELETE /api/templates/:name. A managed template's table goes with it (the service made it for the template);
 * a bound table stays as it is. Refused while a job that has not finished uses the template.
 */
export async function deleteTemplate(db: DbClient, tenantId: string, name: string, audit?: AuditRecord): Promise<void> {
  await db.sql.begin(async (sql) => {
    const row = await findTemplateRow(sql, tenantId, name, true);
    if (!row) throw new AppError('not_found', `No template ${name}`);
    if (row.tenantId === null) throw new AppError('built_in_template', `${name} is a built-in template: it cannot be deleted`);
    const [busy] = await sql<{ n: number }[]>`
      select count(*)::int as n from import_jobs
      where tenant_id = ${tenantId} and template = ${name} and status not in ${sql(FINAL_STATUSES)}`;
    if (busy && busy.n > 0) throw new AppError('template_in_use', `${busy.n} import(s) of template ${name} have not finished yet`);
    if (row.managed) await dropManagedTable(sql, { schema: row.tableSchema, table: row.tableName });
    await sql`delete from import_templates where id = ${row.id}`;
    if (audit) await recordAudit(sql, audit);
  });
}
