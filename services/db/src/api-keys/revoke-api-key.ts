import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../client.js';
import { apiKeys } from '../schema/api-keys.js';
import { auditLog } from '../schema/people.js';
import { type AuditActor, auditRow, cliActor } from '../people/audit-log.js';
import { ApiKeyId } from './inputs.js';

/**
 * Revokes a key for good; services refuse it once their cached answer expires (2 s by default).
 * Returns false when no active key has this id (unknown, malformed or already revoked).
 */
export async function revokeApiKey(db: Database, id: string, actor?: AuditActor): Promise<boolean> {
  if (!ApiKeyId.safeParse(id).success) return false;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, tenantId: apiKeys.tenantId, name: apiKeys.name });
    if (!row) return false;
    const entry = { action: 'key.revoke', target: `key:${row.id}`, outcome: 'ok', detail: { name: row.name } } as const;
    await tx.insert(auditLog).values(auditRow({ actor: actor ?? cliActor(row.tenantId), ...entry }));
    return true;
  });
}
