import { sql } from 'drizzle-orm';
import { bigserial, check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { AuditAction, AuditOutcome, Role } from '@docprocessor/contracts';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date', precision: 3 });

/** People who sign in. Email is unique across tenants: a sign-in names no tenant, the account says which. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: text('tenant_id').notNull(),
    /** Lower-cased and trimmed (contracts' Email). */
    email: text('email').notNull(),
    role: text('role').$type<Role>().notNull(),
    /** `scrypt$N$r$p$salt$hash`; null for an account that signs in only by single sign-on. */
    passwordHash: text('password_hash'),
    createdAt: ts('created_at').notNull().defaultNow(),
    disabledAt: ts('disabled_at'),
    lastSignInAt: ts('last_sign_in_at'),
  },
  (t) => [
    uniqueIndex('users_email_idx').on(t.email),
    index('users_tenant_idx').on(t.tenantId, t.createdAt),
    check('users_role_check', sql`${t.role} in ('viewer', 'importer', 'admin')`),
  ],
);
export type UserRow = typeof users.$inferSelect;

/**
 * Server-side sessions. The cookie carries a random token; only its sha256 is stored, so a read of this table
 * cannot be replayed. Rotation replaces the token and keeps the previous one valid for a short grace, so requests
 * already in flight with it are not signed out.
 */
export const userSessions = pgTable(
  'user_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    previousTokenHash: text('previous_token_hash'),
    /** Until when the previous token is still accepted. */
    previousValidUntil: ts('previous_valid_until'),
    createdAt: ts('created_at').notNull().defaultNow(),
    rotatedAt: ts('rotated_at').notNull().defaultNow(),
    lastSeenAt: ts('last_seen_at').notNull().defaultNow(),
    /** The absolute end, fixed at sign-in. */
    expiresAt: ts('expires_at').notNull(),
    endedAt: ts('ended_at'),
  },
  (t) => [
    uniqueIndex('user_sessions_token_idx').on(t.tokenHash),
    index('user_sessions_previous_token_idx').on(t.previousTokenHash),
    index('user_sessions_user_idx').on(t.userId),
  ],
);
export type UserSessionRow = typeof userSessions.$inferSelect;

/**
 * Who did what. Written in the transaction of the change it records where there is one. tenant_id is null only for
 * a failed sign-in that named no account: those rows are what sign-in rate limits count (by actor or address).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    tenantId: text('tenant_id'),
    at: ts('at').notNull().defaultNow(),
    /** `user` or `key` or `cli`, with the id of the user or key. */
    actorKind: text('actor_kind').$type<'user' | 'key' | 'cli' | 'anonymous'>().notNull(),
    actorId: text('actor_id'),
    /** As shown: the email, `key:<name>`, `cli`; for a failed sign-in, the email that was tried. */
    actor: text('actor').notNull(),
    action: text('action').$type<AuditAction>().notNull(),
    target: text('target'),
    outcome: text('outcome').$type<AuditOutcome>().notNull(),
    /** Where the request came from (sign-in limits count failures per address). */
    address: text('address'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
  },
  (t) => [
    index('audit_log_tenant_idx').on(t.tenantId, t.id),
    index('audit_log_target_idx').on(t.tenantId, t.target, t.id),
    index('audit_log_sign_in_actor_idx').on(t.action, t.actor, t.at),
    index('audit_log_sign_in_address_idx').on(t.action, t.address, t.at),
    check('audit_log_outcome_check', sql`${t.outcome} in ('ok', 'refused', 'failed')`),
    check('audit_log_actor_kind_check', sql`${t.actorKind} in ('user', 'key', 'cli', 'anonymous')`),
  ],
);
export type AuditLogRow = typeof auditLog.$inferSelect;
