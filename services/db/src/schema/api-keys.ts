import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { Role } from '@docprocessor/contracts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/**
 * API keys of the tenants. Only the sha256 of a key is kept: a leaked table does not leak a usable key.
 * Names need not be unique, so a key can be rotated by creating its successor before revoking it.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    /** Hex sha256 of the whole key: what a presented key is looked up by. */
    keyHash: text('key_hash').notNull(),
    /** The key's first 8 characters, so a person can tell keys apart in a list. */
    keyPrefix: text('key_prefix').notNull(),
    /** What the key may do; keys made before roles existed upload, cancel and retry, as they did. */
    role: text('role').$type<Role>().notNull().default('importer'),
    createdAt: ts('created_at').notNull().defaultNow(),
    revokedAt: ts('revoked_at'),
    lastUsedAt: ts('last_used_at'),
  },
  (t) => [uniqueIndex('api_keys_key_hash_idx').on(t.keyHash), index('api_keys_tenant_idx').on(t.tenantId, t.createdAt)],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
