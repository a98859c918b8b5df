import { z } from 'zod';
import { ROLES } from '@docprocessor/contracts';

/** A tenant's id as it appears in keys and jobs: what a person types after --tenant. */
export const TenantId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a tenant must be 1 to 64 characters of letters, digits, "-" and "_"');
export type TenantId = z.infer<typeof TenantId>;

/** A key's name is for people (e.g. "ci", "billing export"): printable, trimmed, not empty. */
export const ApiKeyName = z
  .string()
  .trim()
  .min(1, 'a key name cannot be empty')
  .max(100, 'a key name must be at most 100 characters')
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'a key name cannot hold control characters');
export type ApiKeyName = z.infer<typeof ApiKeyName>;

export const NewApiKey = z.object({
  tenantId: TenantId,
  name: ApiKeyName,
  role: z.enum(ROLES, { error: 'a role is viewer, importer or admin' }),
});
export type NewApiKey = z.infer<typeof NewApiKey>;

/** Any 8-4-4-4-12 hex id: what PostgreSQL accepts as a uuid. */
export const ApiKeyId = z.guid('an API key id looks like 0b5f0c1e-2f7d-4c4b-9a51-3c2d6f1e8a90');

/** Input a person can correct (bad tenant, empty name); `message` says what to change. */
export class InvalidApiKeyInputError extends Error {
  override readonly name = 'InvalidApiKeyInputError';
}

export const isInvalidApiKeyInput = (error: unknown): error is InvalidApiKeyInputError => error instanceof InvalidApiKeyInputError;

/** Parses with `schema`, turning a zod failure into one readable sentence. */
export function parseApiKeyInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  // Every message above names its field, so it reads the same behind an API or a command line.
  throw new InvalidApiKeyInputError(result.error.issues[0]?.message ?? 'invalid API key input', { cause: result.error });
}
