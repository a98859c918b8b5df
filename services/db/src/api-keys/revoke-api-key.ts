import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../client.js';
import { apiKeys } from '../schema/api-keys.js';
import { ApiKeyId } from './inputs.js';

/**
 * Revokes a key for good; services refuse it once their cached answer expires (2 s by default).
 * Returns false when no active key has this id (unknown, malformed or already revoked).
 */
export async function revokeApiKey(db: Database, id: string): Promise<boolean> {
  if (!ApiKeyId.safeParse(id).success) return false;
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}
