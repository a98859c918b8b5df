import { createHash } from 'node:crypto';
import { normalizeHeaderName, type HeaderMappingInput } from '@docprocessor/contracts';
import type { DbClient } from '../client.js';

/** A file's header as mappings are remembered by: its names compared like headers, in order. */
export const headerHash = (header: readonly string[]): string =>
  createHash('sha256').update(header.map(normalizeHeaderName).join('\u0000')).digest('hex');

/** Keeps the mapping a tenant confirmed for this header, so the next file with the same header gets it proposed. */
export async function rememberMapping(
  db: DbClient,
  tenantId: string,
  template: string,
  header: readonly string[],
  mapping: HeaderMappingInput,
): Promise<void> {
  await db.sql`
    insert into template_mappings (tenant_id, template, header_hash, mapping)
    values (${tenantId}, ${template}, ${headerHash(header)}, ${JSON.stringify(mapping)}::jsonb)
    on conflict (tenant_id, template, header_hash) do update set mapping = excluded.mapping, updated_at = now()`;
}

/** The mapping remembered for this header, or an empty one. */
export async function recallMapping(
  db: DbClient,
  tenantId: string,
  template: string,
  header: readonly string[],
): Promise<HeaderMappingInput> {
  const [row] = await db.sql<{ mapping: HeaderMappingInput }[]>`
    select mapping from template_mappings where tenant_id = ${tenantId} and template = ${template} and header_hash = ${headerHash(header)}`;
  return row?.mapping ?? {};
}
