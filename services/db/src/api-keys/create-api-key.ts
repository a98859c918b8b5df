import { DEFAULT_KEY_ROLE, type Role } from '@docprocessor/contracts';
import type { Database } from '../client.js';
import { type AuditActor, auditRow, cliActor } from '../people/audit-log.js';
import { auditLog } from '../schema/people.js';
import { apiKeys } from '../schema/api-keys.js';
import { NewApiKey, parseApiKeyInput } from './inputs.js';
import { generateApiKey, hashApiKey, keyPrefixOf } from './key-material.js';

export interface CreatedApiKey {
  id: string;
  /** The key itself: returned this once, stored nowhere. */
  key: string;
  tenantId: string;
  name: string;
  prefix: string;
  role: Role;
}

/**
 * Creates a key for a tenant, recording who made it in the same transaction (the command line unless told);
 * throws InvalidApiKeyInputError for a bad tenant, name or role.
 */
export async function createApiKey(
  db: Database,
  input: { tenantId: string; name: string; role?: Role | undefined },
  actor?: AuditActor,
): Promise<CreatedApiKey> {
  const { tenantId, name, role } = parseApiKeyInput(NewApiKey, { ...input, role: input.role ?? DEFAULT_KEY_ROLE });
  const key = generateApiKey();
  const prefix = keyPrefixOf(key);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ tenantId, name, role, keyHash: hashApiKey(key), keyPrefix: prefix })
      .returning({ id: apiKeys.id });
    if (!row) throw new Error('inserting the API key returned no row');
    const entry = { action: 'key.create', target: `key:${row.id}`, outcome: 'ok', detail: { name, role } } as const;
    await tx.insert(auditLog).values(auditRow({ actor: actor ?? cliActor(tenantId), ...entry }));
    return { id: row.id, key, tenantId, name, prefix, role };
  });
}
