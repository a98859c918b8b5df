// `node services/testbed/dist/bench/parse-cost.js <file.csv> [template]`: the JavaScript cost of reading, validating and
// encoding a file exactly as an import does, without PostgreSQL or NATS. The machine's noise hardly touches
// CPU time, so two checkouts compare well; the digest of the COPY data and row errors shows they write the same.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { BUILT_IN_TEMPLATES, matchHeader, Template } from '@docprocessor/contracts';
import { loadConfig } from '@docprocessor/processor/config';
import { BatchBuilder, managedTargetTable, readCsv } from '@docprocessor/processor/pipeline';
import { TYPED_TEMPLATE } from './typed-orders.js';

/** The bench's user-defined template as the service serves it once made. */
const typedTemplate = Template.parse({
  ...TYPED_TEMPLATE,
  keyCaseInsensitive: false,
  table: `tenant_bench.${TYPED_TEMPLATE.name}`,
  managed: true,
  builtIn: false,
  createdAt: null,
  updatedAt: null,
});

const [path, templateName = 'contacts'] = process.argv.slice(2);
const template = [...BUILT_IN_TEMPLATES, typedTemplate].find((t) => t.name === templateName);
if (!path || !template) {
  console.error('usage: node services/testbed/dist/bench/parse-cost.js <file.csv> [contacts|products|bench_orders]');
  process.exit(2);
}

// Batches as the processor cuts them by default.
const { PROCESSOR_BATCH_ROWS: BATCH_ROWS, MAX_ROW_BYTES } = loadConfig({});
const LINEAGE = { jobId: '00000000-0000-4000-8000-000000000001', runId: '00000000-0000-4000-8000-000000000002' };
const digest = createHash('sha256');
const totals = { rows: 0, written: 0, failed: 0, copyBytes: 0 };
const cpu = process.cpuUsage();
const started = performance.now();

const source = readCsv(createReadStream(path, { highWaterMark: 512 * 1024 }), {
  encoding: 'utf-8',
  delimiter: ',',
  maxRowBytes: MAX_ROW_BYTES,
});
let builder: BatchBuilder | null = null;
const take = (batch: ReturnType<BatchBuilder['take']>) => {
  digest.update(batch.rows.bytes).update(JSON.stringify(batch.errors));
  totals.written += batch.rows.count;
  totals.failed += batch.failed;
  totals.copyBytes += batch.rows.bytes.length;
  batch.rows.recycle();
};
for await (const records of source.records)
  for (const record of records) {
    if (!builder) {
      const match = matchHeader(template, record);
      builder = new BatchBuilder(template, managedTargetTable(template), 'error', match.sourceIndex, record.length, LINEAGE, source.utf8);
      continue;
    }
    builder.add(++totals.rows, record);
    if (builder.size >= BATCH_ROWS) take(builder.take(0));
  }
if (builder) take(builder.take(0));

const used = process.cpuUsage(cpu);
console.log(
  `${totals.rows} rows (${totals.written} to write, ${totals.failed} failed), ${totals.copyBytes} bytes of COPY data, ` +
    `${((performance.now() - started) / 1000).toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s CPU, ` +
    `digest ${digest.digest('hex').slice(0, 16)}`,
);
