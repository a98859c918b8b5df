import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'dp_';
/** How many leading characters of a key are kept in clear, to tell keys apart in a list. */
export const KEY_PREFIX_LENGTH = 8;
const KEY_BYTES = 32;
const KEY_SHAPE = /^dp_[A-Za-z0-9_-]{43}$/;

/** A new key: `dp_` and 32 random bytes in base64url (256 bits, so a hash lookup is as good as a secret compare). */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(KEY_BYTES).toString('base64url');
}

/** The only form of a key that is ever stored: hex sha256. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function keyPrefixOf(key: string): string {
  return key.slice(0, KEY_PREFIX_LENGTH);
}

/** Whether a presented key could be one we generated; anything else is refused without a database query. */
export function looksLikeApiKey(key: string): boolean {
  return KEY_SHAPE.test(key);
}
