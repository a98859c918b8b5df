import { sql } from 'drizzle-orm';
import { boolean, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Template } from '@docprocessor/contracts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/** What a template says about rows; its name, table and owner are columns of their own. */
export type StoredDefinition = Pick<Template, 'key' | 'keyCaseInsensitive' | 'columns' | 'maxErrors' | 'maxErrorRate'>;

/**
 * Import templates as data. A tenant's templates are its own (tenant_id); the built-ins have none and are
 * visible to every tenant. The table a template writes to is named here, in the tenant's schema when the
 * service made it (managed), or wherever the table was when the template was bound to it.
 */
export const importTemplates = pgTable(
  'import_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: text('tenant_id'),
    name: text('name').notNull(),
    tableSchema: text('table_schema').notNull(),
    tableName: text('table_name').notNull(),
    managed: boolean('managed').notNull(),
    definition: jsonb('definition').$type<StoredDefinition>().notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('import_templates_tenant_name_idx').on(sql`coalesce(${t.tenantId}, '')`, t.name)],
);

export type ImportTemplateRow = typeof importTemplates.$inferSelect;

/**
 * Header mappings a tenant confirmed for a template, by the file's header (its normalised names, in order):
 * the next file with the same header gets the same mapping proposed.
 */
export const templateMappings = pgTable(
  'template_mappings',
  {
    tenantId: text('tenant_id').notNull(),
    template: text('template').notNull(),
    /** sha256 of the normalised header names joined by NUL. */
    headerHash: text('header_hash').notNull(),
    mapping: jsonb('mapping').$type<Record<string, string | null>>().notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.template, t.headerHash] })],
);
