import { Email, type Role, type SsoRefusalCode } from '@docprocessor/contracts';
import type { DbClient, Queries } from '../client.js';
import { recordAudit } from './audit-log.js';
import { type SessionSettings, startSession } from './session-store.js';

/** Who single sign-on may create an account for, and what that account gets (OIDC_* settings). */
export interface SsoAccountPolicy {
  /** Lower-case domains; a person of another domain needs an account made beforehand (npm run users). */
  emailDomains: readonly string[];
  role: Role;
  tenantId: string;
}

/** The refusals decided here; the relying party (ingest) decides the others. */
export type SsoAccountRefusal = Extract<SsoRefusalCode, 'invalid_email' | 'unknown_domain' | 'account_disabled'>;

export type SsoSignInResult =
  | { ok: true; token: string; sessionId: string; userId: string; tenantId: string; email: string; role: Role; created: boolean }
  | { ok: false; reason: SsoAccountRefusal };

interface AccountRow {
  id: string;
  tenant_id: string;
  email: string;
  role: Role;
  disabled: boolean;
}

const findAccount = async (sql: Queries, email: string): Promise<AccountRow | undefined> =>
  (await sql<AccountRow[]>`select id, tenant_id, email, role, disabled_at is not null as disabled from users where email = ${email}`)[0];

/**
 * A refused single sign-on, as a `session.sign_in` entry with outcome `refused`. Like a refused password, it counts
 * towards the sign-in limits of its email and address. `account` names the tenant whose admins should see it.
 */
export async function recordSsoRefusal(
  sql: Queries,
  refusal: { email: string | null; address: string; code: SsoRefusalCode; account?: { id: string; tenantId: string } },
): Promise<void> {
  await recordAudit(sql, {
    actor: {
      kind: refusal.account ? 'user' : 'anonymous',
      id: refusal.account?.id ?? null,
      name: refusal.email ?? 'sso',
      tenantId: refusal.account?.tenantId ?? null,
      address: refusal.address,
    },
    action: 'session.sign_in',
    target: refusal.email ? `user:${refusal.email}` : null,
    outcome: 'refused',
    detail: { code: refusal.code, via: 'sso' },
  });
}

/** The account of `email`, made now (with its `user.create` entry, by `sso`) if the policy allows it; undefined if not. */
export async function findOrCreateSsoUser(
  sql: Queries,
  email: string,
  address: string,
  policy: SsoAccountPolicy,
): Promise<{ account: AccountRow; created: boolean } | undefined> {
  const existing = await findAccount(sql, email);
  if (existing) return { account: existing, created: false };
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (!policy.emailDomains.includes(domain)) return undefined;
  // No password: this account signs in only through the provider (users.password_hash is null; sign-in.ts refuses it).
  const [created] = await sql<{ id: string }[]>`
    insert into users (tenant_id, email, role) values (${policy.tenantId}, ${email}, ${policy.role})
    on conflict (email) do nothing returning id`;
  if (!created) {
    // Two first sign-ins at once: the other one made it.
    const made = await findAccount(sql, email);
    return made && { account: made, created: false };
  }
  await recordAudit(sql, {
    actor: { kind: 'user', id: created.id, name: 'sso', tenantId: policy.tenantId, address },
    action: 'user.create',
    target: `user:${email}`,
    outcome: 'ok',
    detail: { role: policy.role, via: 'sso' },
  });
  return { account: { id: created.id, tenant_id: policy.tenantId, email, role: policy.role, disabled: false }, created: true };
}

/**
 * Signs in a person whose email an OpenID provider vouched for: finds their account (a disabled one is refused)
 * or creates it when their domain is allowed, starts a session and records the sign-in, all in one transaction.
 * A refusal is recorded too, outside it (nothing changed).
 */
export async function signInBySso(
  db: DbClient,
  input: { email: string; address: string },
  policy: SsoAccountPolicy,
  settings: SessionSettings,
): Promise<SsoSignInResult> {
  const parsed = Email.safeParse(input.email);
  if (!parsed.success) {
    await recordSsoRefusal(db.sql, { email: input.email.slice(0, 254), address: input.address, code: 'invalid_email' });
    return { ok: false, reason: 'invalid_email' };
  }
  const email = parsed.data;
  const outcome = await db.sql.begin(async (sql) => {
    const found = await findOrCreateSsoUser(sql, email, input.address, policy);
    if (!found) return { ok: false as const, reason: 'unknown_domain' as const };
    const { account, created } = found;
    if (account.disabled) return { ok: false as const, reason: 'account_disabled' as const, account };
    const session = await startSession(sql, account.id, settings);
    await sql`update users set last_sign_in_at = now() where id = ${account.id}`;
    await recordAudit(sql, {
      actor: { kind: 'user', id: account.id, name: email, tenantId: account.tenant_id, address: input.address },
      action: 'session.sign_in',
      target: `user:${email}`,
      outcome: 'ok',
      detail: { via: 'sso' },
    });
    return { ok: true as const, ...session, account, created };
  });
  if (!outcome.ok) {
    const known = 'account' in outcome ? outcome.account : undefined;
    const account = known && { id: known.id, tenantId: known.tenant_id };
    await recordSsoRefusal(db.sql, { email, address: input.address, code: outcome.reason, ...(account ? { account } : {}) });
    return { ok: false, reason: outcome.reason };
  }
  const { account, token, sessionId, created } = outcome;
  return { ok: true, token, sessionId, userId: account.id, tenantId: account.tenant_id, email, role: account.role, created };
}
