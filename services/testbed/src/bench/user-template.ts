import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from '@docprocessor/contracts';
import type { Stack } from '../stack.js';
import { psql, settle, timePipeline, timePsqlCopy, type PipelineRun } from './measure.js';
import { newFigure, recordRun, type Figure } from './report.js';
import { TYPED_TEMPLATE, dayFirstUrl, generateTypedOrders, typedCopyTable } from './typed-orders.js';

/** `schema.table` as the API gives it, quoted for psql. */
const quoted = (table: string) =>
  table
    .split('.')
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join('.');

/** The template as a user makes it, through the API; an earlier run's stays (same definition) in a kept database. */
async function defineTemplate(stack: Stack): Promise<Template> {
  const headers = { 'x-api-key': stack.apiKey, 'content-type': 'application/json' };
  const created = await fetch(`${stack.url}/api/templates`, { method: 'POST', headers, body: JSON.stringify(TYPED_TEMPLATE) });
  if (created.status === 201) return (await created.json()) as Template;
  if (created.status !== 409) throw new Error(`template refused: ${created.status} ${await created.text()}`);
  const existing = await fetch(`${stack.url}/api/templates/${TYPED_TEMPLATE.name}`, { headers });
  return (await existing.json()) as Template;
}

export interface UserTemplateRun {
  databaseUrl: string;
  label: string;
  rows: number;
  pairs: number;
  dir: string;
  check: (run: PipelineRun, what: string) => PipelineRun;
}

/**
 * New rows through a user-defined template with a column of every type (day-first dates), in pairs with `psql \copy`
 * of the same file into a table of the same columns, key and checks; both tables emptied between runs.
 */
export async function measureUserTemplate(stack: Stack, options: UserTemplateRun): Promise<Figure> {
  const path = join(options.dir, `typed-orders-${options.rows}.csv`);
  await generateTypedOrders(path, options.rows);
  const template = await defineTemplate(stack);
  const table = quoted(template.table);
  const copyTarget = await typedCopyTable(options.databaseUrl, table);
  const copyUrl = dayFirstUrl(options.databaseUrl);
  const { size } = statSync(path);
  const what = 'new rows, user template (every type)';
  const figure = newFigure(options.label, what, options.rows, size / 1e6);
  const reset = async (target: string) => {
    await psql(options.databaseUrl, `truncate ${target}`);
    await settle(options.databaseUrl);
  };
  await reset(table);
  for (let i = 0; i < options.pairs; i++) {
    figure.copies.push(await timePsqlCopy(copyUrl, path, copyTarget));
    await reset('bench_orders_copy');
    const run = options.check(await timePipeline(stack, path, { cpu: true, fields: { template: TYPED_TEMPLATE.name } }), what);
    recordRun(figure, run);
    await reset(table);
  }
  return figure;
}
