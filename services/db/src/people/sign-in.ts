import type { Role } from '@docprocessor/contracts';
import type { DbClient } from '../client.js';
import { countSignInFailures, recordAudit } from './audit-log.js';
import { verifyPassword } from './passwords.js';
import { type SessionSettings, startSession } from './session-store.js';

/** How many failed sign-ins are allowed in a window, per email (account or not) and per client address. */
export interface SignInLimits {
  maxFailuresPerEmail: number;
  maxFailuresPerAddress: number;
  windowMinutes: number;
}

export type SignInResult =
  | { ok: true; token: string; sessionId: string; tenantId: string; email: string; role: Role }
  | { ok: false; reason: 'unauthorized' | 'rate_limited' };

interface Account {
  id: string;
  tenant_id: string;
  email: string;
  role: Role;
  password_hash: string | null;
}

/**
 * Checks an email and password and starts a session. Every answer but success is the same for an account that
 * exists and one that does not: the same refusal, the same scrypt work, the same counting towards the limits.
 * A refusal is recorded as a `session.sign_in` entry with outcome `refused`; those entries are what the limits count.
 */
export async function signIn(
  db: DbClient,
  input: { email: string; password: string; address: string },
  settings: SessionSettings,
  limits: SignInLimits,
): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase().slice(0, 254);
  const since = new Date(Date.now() - limits.windowMinutes * 60_000);
  const failures = await countSignInFailures(db.sql, { email, address: input.address, since });
  const [account] = await db.sql<Account[]>`
    select id, tenant_id, email, role, password_hash from users where email = ${email} and disabled_at is null`;
  const limited = failures.forEmail >= limits.maxFailuresPerEmail || failures.fromAddress >= limits.maxFailuresPerAddress;
  // Verified even when limited or unknown, so neither the time taken nor the answer tells which case it was.
  const matches = await verifyPassword(input.password, account?.password_hash ?? null);
  const actor = {
    kind: account ? 'user' : 'anonymous',
    id: account?.id ?? null,
    name: email,
    tenantId: account?.tenant_id ?? null,
  } as const;
  if (!account || !matches || limited) {
    const reason = limited ? 'rate_limited' : 'unauthorized';
    await recordAudit(db.sql, {
      actor: { ...actor, address: input.address },
      action: 'session.sign_in',
      target: null,
      outcome: 'refused',
      detail: { code: reason },
    });
    return { ok: false, reason };
  }
  const started = await db.sql.begin(async (sql) => {
    const session = await startSession(sql, account.id, settings);
    await sql`update users set last_sign_in_at = now() where id = ${account.id}`;
    await recordAudit(sql, {
      actor: { ...actor, address: input.address },
      action: 'session.sign_in',
      target: `user:${email}`,
      outcome: 'ok',
    });
    return session;
  });
  return { ok: true, ...started, tenantId: account.tenant_id, email: account.email, role: account.role };
}
