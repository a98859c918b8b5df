import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pino } from 'pino';
import { eq } from 'drizzle-orm';
import {
  allEventsSubject,
  ImportEvent,
  type Delimiter,
  type FileEncoding,
  type HeaderMappingInput,
  type OnDuplicate,
} from '@docprocessor/contracts';
import { connectBus, ensureTopology, FileStore, publishEvent } from '@docprocessor/bus';
import { destroyBusNames, TEST_NATS_SERVERS, uniqueBusNames } from '@docprocessor/bus/testing';
import { createDbClient, importJobs, toJob, type ImportJobRow } from '@docprocessor/db';
import { createTestDatabase } from '@docprocessor/db/testing';
import { loadConfig } from '../src/config.js';
import { WorkConsumer } from '../src/work/consume.js';
import type { ProcessorContext } from '../src/context.js';
import { createMetrics } from '../src/metrics.js';

export interface Harness {
  ctx: ProcessorContext;
  consumer: WorkConsumer;
  events: ImportEvent[];
  close(): Promise<void>;
}

/** A worker on its own database and NATS names, consuming for real. */
export async function build(env: Record<string, string> = {}, { start = true } = {}): Promise<Harness> {
  const testDb = await createTestDatabase('processor');
  const names = uniqueBusNames('proc');
  const config = loadConfig({ DATABASE_URL: testDb.url, LOG_LEVEL: 'silent', PROCESSOR_BATCH_ROWS: '3', ...env });
  const db = createDbClient(testDb.url, { max: 6 });
  const bus = await connectBus({ servers: TEST_NATS_SERVERS, names, connectionName: 'processor-test' });
  await ensureTopology(bus, { ackWaitMs: config.ACK_WAIT_MS, maxDeliver: config.MAX_DELIVER });
  const files = await FileStore.open(bus);
  const ctx: ProcessorContext = { config, db, bus, files, logger: pino({ level: 'silent' }), metrics: createMetrics() };
  const events: ImportEvent[] = [];
  const subscription = bus.nc.subscribe(allEventsSubject(names), { callback: (_e, m) => void events.push(ImportEvent.parse(m.json())) });
  const consumer = new WorkConsumer(ctx);
  if (start) await consumer.start();
  return {
    ctx,
    consumer,
    events,
    async close() {
      await consumer.stop();
      subscription.unsubscribe();
      await bus.close();
      await db.close();
      await destroyBusNames(TEST_NATS_SERVERS, names);
      await testDb.drop();
    },
  };
}

export interface NewJob {
  template?: string;
  onDuplicate?: OnDuplicate;
  encoding?: FileEncoding;
  delimiter?: Delimiter;
  mapping?: HeaderMappingInput;
  dryRun?: boolean;
  maxErrors?: number;
  maxErrorRate?: number;
  atomic?: boolean;
  tenantId?: string;
  publish?: boolean;
}

/** What ingest does for an upload: store the file, commit the job, publish the work item. */
export async function createJob(h: Harness, content: string | Buffer, options: NewJob = {}): Promise<ImportJobRow> {
  const id = randomUUID();
  const stored = await h.ctx.files.put(id, Readable.from([Buffer.from(content)]));
  const [row] = await h.ctx.db.db
    .insert(importJobs)
    .values({
      id,
      status: 'pending',
      template: options.template ?? 'contacts',
      onDuplicate: options.onDuplicate ?? 'error',
      encoding: options.encoding ?? 'utf-8',
      delimiter: options.delimiter ?? ',',
      mapping: options.mapping ?? null,
      dryRun: options.dryRun ?? false,
      maxErrors: options.maxErrors ?? null,
      maxErrorRate: options.maxErrorRate ?? null,
      atomic: options.atomic ?? false,
      tenantId: options.tenantId ?? 'default',
      filename: 'test.csv',
      sizeBytes: stored.size,
      sha256: stored.sha256,
      objectName: id,
      createdAt: new Date(),
    })
    .returning();
  if (options.publish !== false) await publishEvent(h.ctx.bus, 'created', toJob(row!), { tenantId: row!.tenantId });
  return row!;
}

export async function jobRow(h: Harness, id: string): Promise<ImportJobRow> {
  const [row] = await h.ctx.db.db.select().from(importJobs).where(eq(importJobs.id, id));
  if (!row) throw new Error(`no job ${id}`);
  return row;
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const waitForFinal = (h: Harness, id: string) =>
  waitFor(async () => {
    const row = await jobRow(h, id);
    return ['completed', 'failed', 'cancelled'].includes(row.status) && row;
  }, `job ${id} to finish`);

export const HEADER = 'id,email,first_name,last_name,company,country,signup_date,amount,active,notes';
export const contact = (
  id: number | string,
  overrides: Partial<Record<'email' | 'first' | 'country' | 'date' | 'amount' | 'active', string>> = {},
) =>
  [
    id,
    overrides.email ?? `user${id}@example.com`,
    overrides.first ?? 'Ada',
    'Lovelace',
    'ACME',
    overrides.country ?? 'gb',
    overrides.date ?? '2024-02-29',
    overrides.amount ?? '12.50',
    overrides.active ?? 'yes',
    '',
  ].join(',');
export const csvOf = (...lines: string[]) => `${[HEADER, ...lines].join('\n')}\n`;
