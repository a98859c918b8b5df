import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from '@docprocessor/contracts';
import type { Database } from '../client.js';
import { looksLikeApiKey } from './key-material.js';
import { createStoredKeyLookup } from './stored-key-lookup.js';

// The api-keys module as the package exports it: this file is what the package index re-exports.
export * from './create-api-key.js';
export * from './list-api-keys.js';
export * from './revoke-api-key.js';
export { TenantId, ApiKeyName, NewApiKey, InvalidApiKeyInputError, isInvalidApiKeyInput } from './inputs.js';
export { API_KEY_PREFIX, KEY_PREFIX_LENGTH, hashApiKey } from './key-material.js';

/** Who is calling: every job and event belongs to one tenant, and the role says what the caller may do. */
export interface Principal {
  tenantId: string;
  /** Unique per caller (the stored key's id, env-N for API_KEYS, user:<id> for a person): what per-caller limits count by. */
  keyId: string;
  /** The key's name, or the person's email. */
  keyName: string;
  role: Role;
  kind: 'key' | 'session';
  /** What the audit log calls the caller: the email, or `key:<name>`. */
  actor: string;
  /** The signed-in person's email; null for a key. */
  email: string | null;
  userId?: string;
  sessionId?: string;
}

/** The role of the keys in API_KEYS: they are the operator's own development keys, and the UI's key sign-in uses them. */
export const STATIC_KEY_ROLE: Role = 'admin';

export const keyPrincipal = (tenantId: string, keyId: string, keyName: string, role: Role): Principal => ({
  tenantId,
  keyId,
  keyName,
  role,
  kind: 'key',
  actor: `key:${keyName}`,
  email: null,
});

export const DEFAULT_TENANT = 'default';

export type Authenticate = (key: string | undefined) => Promise<Principal | null>;

export interface KeyAuthenticatorOptions {
  /** Where keys made by `npm run keys` live; without it, only the static keys are accepted. */
  db?: Database;
  /** How long an answer about a stored key is reused (default 2000 ms): a revoke takes effect within this. */
  cacheMs?: number;
  /** At most this many keys have a cached answer (default 10,000). */
  maxCachedKeys?: number;
  /** Told, with the key's id only, when a key's last use could not be recorded. */
  onError?: (error: unknown, context: { keyId: string }) => void;
  /** The clock, for tests. */
  now?: () => number;
}

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * Checks an API key: first against the static keys from API_KEYS (local development, default tenant), compared
 * on fixed-length digests with timingSafeEqual; then, given a database, against the stored keys of every tenant.
 * A database error is thrown as is (callers answer 503); it never carries the key, only its hash as a parameter.
 */
export function createKeyAuthenticator(staticKeys: readonly string[], options: KeyAuthenticatorOptions = {}): Authenticate {
  const known = staticKeys.map((key, i) => ({ digest: digest(key), name: `env-${i + 1}` }));
  const matchStatic = (key: string): Principal | null => {
    const candidate = digest(key);
    let match: (typeof known)[number] | undefined;
    for (const entry of known) if (timingSafeEqual(entry.digest, candidate)) match = entry;
    return match ? keyPrincipal(DEFAULT_TENANT, match.name, match.name, STATIC_KEY_ROLE) : null;
  };
  const lookup =
    options.db &&
    createStoredKeyLookup(options.db, {
      cacheMs: Math.max(0, options.cacheMs ?? 2000),
      maxCachedKeys: Math.max(1, options.maxCachedKeys ?? 10_000),
      now: options.now ?? Date.now,
      onError: options.onError,
    });

  return async (key) => {
    if (!key) return null;
    const principal = matchStatic(key);
    if (principal || !lookup || !looksLikeApiKey(key)) return principal;
    const stored = await lookup(key);
    return stored ? keyPrincipal(stored.tenantId, stored.id, stored.name, stored.role) : null;
  };
}
