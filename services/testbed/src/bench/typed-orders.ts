import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { TemplateInput } from '@docprocessor/contracts';
import { mulberry32 } from './generate-contacts.js';
import { psql } from './measure.js';

/**
 * A user-defined template with one column of every type, for the bench's "user template" figure: the same compiled
 * validator and binary COPY path as `contacts`, over a file in a European export's shape (day-first dates).
 */
export const TYPED_TEMPLATE = {
  name: 'bench_orders',
  key: ['order_id'],
  columns: [
    { name: 'order_id', type: 'integer', required: true, min: 1 },
    { name: 'customer', type: 'string', required: true, maxLength: 100 },
    { name: 'email', type: 'email', required: true },
    { name: 'amount', type: 'decimal', required: true, min: 0, maxDecimals: 2 },
    { name: 'paid', type: 'boolean', required: true },
    { name: 'ordered_on', type: 'date', required: true, formats: ['DD/MM/YYYY'] },
    { name: 'shipped_at', type: 'timestamp', required: false, formats: ['ISO'] },
    { name: 'ref', type: 'uuid', required: true },
    { name: 'status', type: 'enum', required: true, values: ['new', 'paid', 'shipped', 'returned'] },
    { name: 'country', type: 'country', required: true },
  ],
} satisfies TemplateInput;

export const TYPED_COLUMNS = TYPED_TEMPLATE.columns.map((c) => c.name);
const STATUSES = ['new', 'paid', 'shipped', 'returned'];
const COUNTRIES = ['GB', 'DE', 'FR', 'SE', 'US', 'NL', 'ES', 'IT'];
const NAMES = ['Ada Lovelace', 'Zoë Ångström', '"Müller, Hans"', 'Grace Hopper', 'Renée Café', 'Alan Turing'];
const two = (n: number) => String(n).padStart(2, '0');

function hexUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** `rows` valid rows, ids 1..rows, the same for a seed. */
export async function generateTypedOrders(path: string, rows: number, seed = 7): Promise<void> {
  const random = mulberry32(seed);
  const out = createWriteStream(path);
  out.write(`${TYPED_COLUMNS.join(',')}\n`);
  for (let id = 1; id <= rows; id++) {
    const day = 1 + Math.floor(random() * 28);
    const month = 1 + Math.floor(random() * 12);
    const year = 2015 + Math.floor(random() * 10);
    const shipped =
      random() < 0.3 ? '' : `${year}-${two(month)}-${two(day)}T${two(Math.floor(random() * 24))}:${two(Math.floor(random() * 60))}:00Z`;
    const line = [
      id,
      NAMES[Math.floor(random() * NAMES.length)],
      `customer${id}@example.com`,
      (random() * 10_000).toFixed(2),
      random() < 0.5 ? 'true' : 'false',
      `${two(day)}/${two(month)}/${year}`,
      shipped,
      hexUuid(random),
      STATUSES[Math.floor(random() * STATUSES.length)],
      COUNTRIES[Math.floor(random() * COUNTRIES.length)],
    ].join(',');
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * The baseline for `psql \copy`: a table like the one the template made (types, key, checks), its lineage
 * columns optional since COPY does not fill them. Returns the `\copy` target with its column list.
 */
export async function typedCopyTable(databaseUrl: string, templateTable: string): Promise<string> {
  await psql(databaseUrl, `drop table if exists bench_orders_copy`);
  await psql(databaseUrl, `create table bench_orders_copy (like ${templateTable} including all)`);
  for (const lineage of ['import_job_id', 'import_run_id', 'source_row', 'imported_at'])
    await psql(databaseUrl, `alter table bench_orders_copy alter column ${lineage} drop not null`);
  return `bench_orders_copy (${TYPED_COLUMNS.join(', ')})`;
}

/** `psql \copy` reads the file's day-first dates as the template does. */
export const dayFirstUrl = (databaseUrl: string): string =>
  `${databaseUrl}${databaseUrl.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c datestyle=ISO,DMY')}`;
