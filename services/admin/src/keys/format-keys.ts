import type { ApiKeyInfo, CreatedApiKey } from '@docprocessor/db';

const when = (date: Date | null): string => (date ? `${date.toISOString().slice(0, 19).replace('T', ' ')}Z` : '-');

export function formatCreatedKey(created: CreatedApiKey): string {
  return [
    `Created API key "${created.name}" for tenant ${created.tenantId}. Copy it now: it is shown only this once.`,
    '',
    `  ${created.key}`,
    '',
    `  id      ${created.id}`,
    `  tenant  ${created.tenantId}`,
    `  name    ${created.name}`,
    `  prefix  ${created.prefix}`,
    '',
    `Send it as the X-API-Key header (WebSocket: /ws?apiKey=<key>). Revoke it with: npm run keys -- revoke ${created.id}`,
  ].join('\n');
}

/** A plain text table, one key per line, columns padded to their widest cell. */
export function formatKeyTable(keys: readonly ApiKeyInfo[]): string {
  if (keys.length === 0) return 'No API keys yet. Create one: npm run keys -- create --tenant T --name N';
  const header = ['ID', 'TENANT', 'NAME', 'PREFIX', 'CREATED', 'LAST USED', 'REVOKED'];
  const rows = keys.map((k) => [k.id, k.tenantId, k.name, k.prefix, when(k.createdAt), when(k.lastUsedAt), when(k.revokedAt)]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
