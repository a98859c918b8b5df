import type { ApiKeyInfo, CreatedApiKey } from '@docprocessor/db';
import { formatTable, when } from '../text-table.js';

export function formatCreatedKey(created: CreatedApiKey): string {
  return [
    `Created API key "${created.name}" for tenant ${created.tenantId}. Copy it now: it is shown only this once.`,
    '',
    `  ${created.key}`,
    '',
    `  id      ${created.id}`,
    `  tenant  ${created.tenantId}`,
    `  name    ${created.name}`,
    `  role    ${created.role}`,
    `  prefix  ${created.prefix}`,
    '',
    `Send it as the X-API-Key header (WebSocket: /ws?apiKey=<key>). Revoke it with: npm run keys -- revoke ${created.id}`,
  ].join('\n');
}

/** A plain text table, one key per line, columns padded to their widest cell. */
export function formatKeyTable(keys: readonly ApiKeyInfo[]): string {
  if (keys.length === 0) return 'No API keys yet. Create one: npm run keys -- create --tenant T --name N';
  const header = ['ID', 'TENANT', 'NAME', 'ROLE', 'PREFIX', 'CREATED', 'LAST USED', 'REVOKED'];
  const rows = keys.map((k) => [k.id, k.tenantId, k.name, k.role, k.prefix, when(k.createdAt), when(k.lastUsedAt), when(k.revokedAt)]);
  return formatTable(header, rows);
}
