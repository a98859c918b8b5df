import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { Email, ROLES, type Role } from '@docprocessor/contracts';
import type { DbClient } from '../client.js';
import { users } from '../schema/people.js';
import { TenantId } from '../api-keys/inputs.js';
import { type AuditActor, cliActor, recordAudit } from './audit-log.js';
import { generatePassword, hashPassword } from './passwords.js';

export const NewUser = z.object({
  tenantId: TenantId,
  email: Email,
  role: z.enum(ROLES, { error: 'a role is viewer, importer or admin' }),
  password: z.string().min(12, 'a password must be at least 12 characters').max(1024).optional(),
});
export type NewUser = z.input<typeof NewUser>;

/** Input a person can correct (a bad email, a taken one); `message` says what to change. */
export class InvalidUserInputError extends Error {
  override readonly name = 'InvalidUserInputError';
}

export interface CreatedUser {
  id: string;
  tenantId: string;
  email: string;
  role: Role;
  /** The generated password, shown this once; null when the caller gave one. */
  generatedPassword: string | null;
}

export interface UserInfo {
  id: string;
  tenantId: string;
  email: string;
  role: Role;
  createdAt: Date;
  lastSignInAt: Date | null;
  disabledAt: Date | null;
}

/** Creates a person's account; without a password, one is generated and returned once. The audit entry is in the same transaction. */
export async function createUser(db: DbClient, input: NewUser, actor?: AuditActor): Promise<CreatedUser> {
  const parsed = NewUser.safeParse(input);
  if (!parsed.success) throw new InvalidUserInputError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const { tenantId, email, role } = parsed.data;
  const generatedPassword = parsed.data.password === undefined ? generatePassword() : null;
  const passwordHash = await hashPassword(parsed.data.password ?? (generatedPassword as string));
  return db.sql.begin(async (sql) => {
    const [row] = await sql<{ id: string }[]>`
      insert into users (tenant_id, email, role, password_hash) values (${tenantId}, ${email}, ${role}, ${passwordHash})
      on conflict (email) do nothing returning id`;
    if (!row) throw new InvalidUserInputError(`email: ${email} already has an account`);
    await recordAudit(sql, {
      actor: actor ?? cliActor(tenantId),
      action: 'user.create',
      target: `user:${email}`,
      outcome: 'ok',
      detail: { role },
    });
    return { id: row.id, tenantId, email, role, generatedPassword };
  }) as Promise<CreatedUser>;
}

/** Every account, by tenant then oldest first; never a password hash. */
export async function listUsers(db: DbClient, tenantId?: string): Promise<UserInfo[]> {
  return db.db
    .select({
      id: users.id,
      tenantId: users.tenantId,
      email: users.email,
      role: users.role,
      createdAt: users.createdAt,
      lastSignInAt: users.lastSignInAt,
      disabledAt: users.disabledAt,
    })
    .from(users)
    .where(tenantId === undefined ? undefined : eq(users.tenantId, tenantId))
    .orderBy(asc(users.tenantId), asc(users.createdAt), asc(users.id));
}

/**
 * Disables an account (by id or email) and ends its sessions, in one transaction with its audit entry:
 * its open pages and sockets are refused from their next request or recheck. False when no enabled account matches.
 */
export async function disableUser(db: DbClient, idOrEmail: string, actor?: AuditActor): Promise<boolean> {
  const byId = z.guid().safeParse(idOrEmail).success;
  return db.sql.begin(async (sql) => {
    const [row] = await sql<{ id: string; tenant_id: string; email: string }[]>`
      update users set disabled_at = now()
      where ${byId ? sql`id = ${idOrEmail}` : sql`email = ${idOrEmail.trim().toLowerCase()}`} and disabled_at is null
      returning id, tenant_id, email`;
    if (!row) return false;
    await sql`update user_sessions set ended_at = now() where user_id = ${row.id} and ended_at is null`;
    await recordAudit(sql, { actor: actor ?? cliActor(row.tenant_id), action: 'user.disable', target: `user:${row.email}`, outcome: 'ok' });
    return true;
  }) as Promise<boolean>;
}
