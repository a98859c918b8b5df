import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Role } from '@docprocessor/contracts';
import type { Database } from '../client.js';
import { apiKeys } from '../schema/api-keys.js';
import { ExpiringCache } from './expiring-cache.js';
import { hashApiKey } from './key-material.js';

export interface StoredKeyLookupOptions {
  /** How long an answer (found or not) is reused; a revoke takes effect within this time. */
  cacheMs: number;
  maxCachedKeys: number;
  now: () => number;
  /** Told, with the key's id only, when last_used_at could not be written. */
  onError?: (error: unknown, context: { keyId: string }) => void;
}

export interface StoredKey {
  id: string;
  tenantId: string;
  name: string;
  role: Role;
}

const TOUCH_EVERY_MS = 60_000;

/** Looks presented keys up by hash among the active keys of the api_keys table, with a short-lived cache. */
export function createStoredKeyLookup(db: Database, options: StoredKeyLookupOptions): (key: string) => Promise<StoredKey | null> {
  const { cacheMs, now } = options;
  // Keyed by the key's hash: the keys themselves are never kept in memory beyond the request.
  const answers = new ExpiringCache<StoredKey | null>(options.maxCachedKeys);
  const inFlight = new Map<string, Promise<StoredKey | null>>();
  const touched = new ExpiringCache<true>(options.maxCachedKeys);

  /** Records a use at most once a minute per key, in the background: a request never waits for it. */
  function touch(keyId: string): void {
    const at = now();
    if (touched.get(keyId, at)) return;
    touched.set(keyId, true, at + TOUCH_EVERY_MS);
    db.update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(eq(apiKeys.id, keyId))
      .execute()
      .catch((error: unknown) => options.onError?.(error, { keyId }));
  }

  function query(hash: string): Promise<StoredKey | null> {
    // An answer read after a revoke started must not outlive the revoke by more than cacheMs: time it from the start.
    const startedAt = now();
    const lookup = db
      .select({ id: apiKeys.id, tenantId: apiKeys.tenantId, name: apiKeys.name, role: apiKeys.role })
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, hash), isNull(apiKeys.revokedAt)))
      .limit(1)
      .then(([row]) => {
        const found = row ?? null;
        answers.set(hash, found, startedAt + cacheMs);
        return found;
      })
      .finally(() => inFlight.delete(hash));
    inFlight.set(hash, lookup);
    return lookup;
  }

  return async (key) => {
    const hash = hashApiKey(key);
    const cached = answers.get(hash, now());
    const found = cached !== undefined ? cached : await (inFlight.get(hash) ?? query(hash));
    if (found) touch(found.id);
    return found;
  };
}
