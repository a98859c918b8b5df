import { asc } from 'drizzle-orm';
import type { Role } from '@docprocessor/contracts';
import type { Database } from '../client.js';
import { apiKeys } from '../schema/api-keys.js';

/** What may be shown about a key: never its hash, and the key itself is not known. */
export interface ApiKeyInfo {
  id: string;
  tenantId: string;
  name: string;
  prefix: string;
  role: Role;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Every key, revoked ones included, by tenant and then oldest first. */
export async function listApiKeys(db: Database): Promise<ApiKeyInfo[]> {
  return db
    .select({
      id: apiKeys.id,
      tenantId: apiKeys.tenantId,
      name: apiKeys.name,
      prefix: apiKeys.keyPrefix,
      role: apiKeys.role,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .orderBy(asc(apiKeys.tenantId), asc(apiKeys.createdAt), asc(apiKeys.id));
}
