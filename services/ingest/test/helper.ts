import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import type { FastifyInstance } from 'fastify';
import { Objm } from '@nats-io/obj';
import { eventSubject, ImportEvent, type EventType } from '@docprocessor/contracts';
import { connectBus, ensureTopology, FileStore } from '@docprocessor/bus';
import { destroyBusNames, TEST_NATS_SERVERS, uniqueBusNames } from '@docprocessor/bus/testing';
import { createDbClient, createKeyAuthenticator } from '@docprocessor/db';
import { createTestDatabase } from '@docprocessor/db/testing';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { IngestContext } from '../src/imports/context.js';

export const API_KEY = 'test-key';

export interface Harness {
  app: FastifyInstance;
  ctx: IngestContext;
  close(): Promise<void>;
}

/** One app per test file, on its own database and NATS names (fastify/demo's build() shape). */
export async function build(env: Record<string, string> = {}): Promise<Harness> {
  const testDb = await createTestDatabase('ingest');
  const names = uniqueBusNames('ingest');
  const config = loadConfig({ DATABASE_URL: testDb.url, API_KEYS: API_KEY, LOG_LEVEL: 'silent', ...env });
  const db = createDbClient(testDb.url, { max: 4 });
  const bus = await connectBus({ servers: TEST_NATS_SERVERS, names, connectionName: 'ingest-test' });
  await ensureTopology(bus);
  const files = await FileStore.open(bus);
  const ctx: IngestContext = { config, db, bus, files, logger: pino({ level: 'silent' }) };
  const app = await buildApp({ ctx, authenticate: createKeyAuthenticator([API_KEY], { db: db.db }), sweepEveryMs: 0 });
  return {
    app,
    ctx,
    async close() {
      await app.close();
      await bus.close();
      await db.close();
      await destroyBusNames(TEST_NATS_SERVERS, names);
      await testDb.drop();
    },
  };
}

export interface FilePart {
  content: Buffer | string;
  filename?: string;
  field?: string;
}

/** A real multipart/form-data body, fields first unless `fileFirst`. */
export function multipart(file: FilePart | null, fields: Record<string, string> = {}, fileFirst = false) {
  const boundary = `----dp${randomUUID()}`;
  const fieldParts = Object.entries(fields).map(([name, value]) =>
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
  );
  const fileParts = file
    ? [
        Buffer.from(
          `--${boundary}\r\n` +
            `Content-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename ?? 'data.csv'}"\r\n` +
            'Content-Type: text/csv\r\n\r\n',
        ),
        Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
        Buffer.from('\r\n'),
      ]
    : [];
  const body = Buffer.concat([
    ...(fileFirst ? [...fileParts, ...fieldParts] : [...fieldParts, ...fileParts]),
    Buffer.from(`--${boundary}--\r\n`),
  ]);
  return { payload: body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-api-key': API_KEY } };
}

export const CONTACTS_HEADER = 'id,email,first_name,last_name,company,country,signup_date,amount,active,notes';
export const contactsCsv = (rows = 3): string =>
  `${[
    CONTACTS_HEADER,
    ...Array.from({ length: rows }, (_, i) => `${i + 1},u${i + 1}@example.com,Ada,Lovelace,,GB,2024-01-02,10.50,true,`),
  ].join('\n')}\n`;

export async function upload(
  h: Harness,
  csv: string | Buffer,
  fields: Record<string, string> = {},
  extraHeaders: Record<string, string> = {},
) {
  const body = multipart({ content: csv }, fields);
  return h.app.inject({ method: 'POST', url: '/api/imports', payload: body.payload, headers: { ...body.headers, ...extraHeaders } });
}

/** The last event of a type for a job, read back from the stream. */
export async function lastEvent(h: Harness, jobId: string, type: EventType): Promise<ImportEvent | null> {
  try {
    const message = await h.ctx.bus.jsm.streams.getMessage(h.ctx.bus.names.stream, {
      last_by_subj: eventSubject(h.ctx.bus.names, jobId, type),
    });
    return message ? ImportEvent.parse(message.json()) : null;
  } catch {
    return null;
  }
}

export async function storedObjectNames(h: Harness): Promise<string[]> {
  const store = await new Objm(h.ctx.bus.js).open(h.ctx.bus.names.bucket);
  const list = await store.list();
  return list.filter((o) => !o.deleted).map((o) => o.name);
}
