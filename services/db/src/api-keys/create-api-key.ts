import type { Database } from '../client.js';
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
}

/** Creates a key for a tenant; throws InvalidApiKeyInputError for a bad tenant or name. */
export async function createApiKey(db: Database, input: { tenantId: string; name: string }): Promise<CreatedApiKey> {
  const { tenantId, name } = parseApiKeyInput(NewApiKey, input);
  const key = generateApiKey();
  const prefix = keyPrefixOf(key);
  const [row] = await db
    .insert(apiKeys)
    .values({ tenantId, name, keyHash: hashApiKey(key), keyPrefix: prefix })
    .returning({ id: apiKeys.id });
  if (!row) throw new Error('inserting the API key returned no row');
  return { id: row.id, key, tenantId, name, prefix };
}
