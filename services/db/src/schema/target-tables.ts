import { sql } from 'drizzle-orm';
import { bigint, boolean, char, date, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Lineage columns on every template table: which job and run wrote a row, and from which data row.
 * A key already written by the current run is a duplicate within the file; any other is an update.
 */
const lineage = {
  importJobId: uuid('import_job_id').notNull(),
  importRunId: uuid('import_run_id').notNull(),
  sourceRow: bigint('source_row', { mode: 'number' }).notNull(),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
};

export const contacts = pgTable('contacts', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  email: text('email').notNull(),
  firstName: text('first_name').notNull(),
  lastName: text('last_name').notNull(),
  company: text('company'),
  country: char('country', { length: 2 }).notNull(),
  signupDate: date('signup_date').notNull(),
  amount: numeric('amount').notNull(),
  active: boolean('active').notNull(),
  notes: text('notes'),
  ...lineage,
});

export const products = pgTable(
  'products',
  {
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    price: numeric('price').notNull(),
    quantity: bigint('quantity', { mode: 'number' }).notNull(),
    active: boolean('active').notNull(),
    ...lineage,
  },
  // The key is case-insensitive: "AB-1" and "ab-1" are the same product.
  (t) => [uniqueIndex('products_sku_key').on(sql`lower(${t.sku})`)],
);
