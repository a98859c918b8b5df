import type { AuditAction, AuditEntry, AuditList, AuditOutcome } from '@docprocessor/contracts';
import type { Queries, Sql } from '../client.js';
import type { auditLog } from '../schema/people.js';

/** Who acted, as the audit log keeps it. */
export interface AuditActor {
  kind: 'user' | 'key' | 'cli' | 'anonymous';
  /** The user's or key's id; null for the command line and for a sign-in that named no account. */
  id: string | null;
  /** As shown: an email, `key:<name>`, `cli`. */
  name: string;
  /** Null only for a failed sign-in that named no account. */
  tenantId: string | null;
  /** The client's address, when the action came over HTTP. */
  address?: string | null;
}

export interface AuditRecord {
  actor: AuditActor;
  action: AuditAction;
  target: string | null;
  outcome: AuditOutcome;
  detail?: Record<string, unknown> | null;
}

/** The command line's own actor: `npm run users` and `npm run keys` are run by whoever has the machine. */
export const cliActor = (tenantId: string): AuditActor => ({ kind: 'cli', id: null, name: 'cli', tenantId });

/** The row of an entry, for a drizzle transaction's insert into auditLog. */
export const auditRow = ({ actor, action, target, outcome, detail }: AuditRecord): typeof auditLog.$inferInsert => ({
  tenantId: actor.tenantId,
  actorKind: actor.kind,
  actorId: actor.id,
  actor: actor.name,
  action,
  target,
  outcome,
  address: actor.address ?? null,
  detail: detail ?? null,
});

/** Writes one entry on `sql`: the caller's transaction when the entry records a change made in it. */
export async function recordAudit(sql: Queries, { actor, action, target, outcome, detail }: AuditRecord): Promise<void> {
  await sql`
    insert into audit_log (tenant_id, actor_kind, actor_id, actor, action, target, outcome, address, detail)
    values (${actor.tenantId}, ${actor.kind}, ${actor.id}, ${actor.name}, ${action}, ${target}, ${outcome}, ${actor.address ?? null},
            ${detail ? JSON.stringify(detail) : null}::jsonb)`;
}

/**
 * Runs `change` and, when it changed something (not undefined), records `audit` in the same transaction:
 * an action is never in the log without its change, nor the change without its entry. No entry: runs it as is.
 * `audit` may be a function of what changed, for an entry whose target exists only once the change made it
 * (the id of a created row).
 */
export async function withAudit<T>(
  sql: Sql,
  audit: AuditRecord | ((changed: T) => AuditRecord) | undefined,
  change: (sql: Queries) => Promise<T | undefined>,
): Promise<T | undefined> {
  if (!audit) return change(sql);
  return sql.begin(async (tx) => {
    const changed = await change(tx);
    if (changed !== undefined) await recordAudit(tx, typeof audit === 'function' ? audit(changed) : audit);
    return changed;
  }) as Promise<T | undefined>;
}

interface AuditQuery {
  limit: number;
  cursor?: string | undefined;
  target?: string | undefined;
}

/** A cursor is the last id of the page before: entries only grow, so paging never skips or repeats one. */
const cursorId = (cursor: string | undefined): number | null => (cursor && /^\d{1,18}$/.test(cursor) ? Number(cursor) : null);

/** The tenant's entries, newest first; undefined for a cursor this function never gave. */
export async function listAudit(sql: Queries, tenantId: string, query: AuditQuery): Promise<AuditList | undefined> {
  const before = cursorId(query.cursor);
  if (query.cursor !== undefined && before === null) return undefined;
  const rows = await sql<
    { id: number; at: Date; actor: string; action: AuditAction; target: string | null; outcome: AuditOutcome; detail: unknown }[]
  >`
    select id, at, actor, action, target, outcome, detail from audit_log
    where tenant_id = ${tenantId}
      ${query.target !== undefined ? sql`and target = ${query.target}` : sql``}
      ${before !== null ? sql`and id < ${before}` : sql``}
    order by id desc
    limit ${query.limit + 1}`;
  const page = rows.slice(0, query.limit);
  const items: AuditEntry[] = page.map((row) => ({
    id: String(row.id),
    at: new Date(row.at).toISOString(),
    actor: row.actor,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    detail: (row.detail as Record<string, unknown> | null) ?? null,
  }));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > query.limit && last ? String(last.id) : null };
}

/** Failed sign-ins since `since` for one email (whether it names an account or not) and from one address. */
export async function countSignInFailures(
  sql: Queries,
  { email, address, since }: { email: string; address: string; since: Date },
): Promise<{ forEmail: number; fromAddress: number }> {
  const [row] = await sql<{ for_email: number; from_address: number }[]>`
    select
      (select count(*) from audit_log where action = 'session.sign_in' and outcome = 'refused' and actor = ${email}
         and at >= ${since.toISOString()}::timestamptz)::int as for_email,
      (select count(*) from audit_log where action = 'session.sign_in' and outcome = 'refused' and address = ${address}
         and at >= ${since.toISOString()}::timestamptz)::int as from_address`;
  return { forEmail: row?.for_email ?? 0, fromAddress: row?.from_address ?? 0 };
}
