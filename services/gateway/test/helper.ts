import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import WebSocket from 'ws';
import { ServerFrame, type EventType, type ImportEvent, type Job } from '@docprocessor/contracts';
import { connectBus, ensureTopology, publishEvent, type Bus } from '@docprocessor/bus';
import { destroyBusNames, TEST_NATS_SERVERS, uniqueBusNames } from '@docprocessor/bus/testing';
import { createDbClient, createKeyAuthenticator, importJobs, toJob, type Authenticate, type DbClient } from '@docprocessor/db';
import { createTestDatabase } from '@docprocessor/db/testing';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

export const API_KEY = 'test-key';

/** A database and NATS names of this test file's own. */
export interface Backends {
  dbUrl: string;
  db: DbClient;
  bus: Bus;
  close(): Promise<void>;
}

export async function startBackends(label: string): Promise<Backends> {
  const testDb = await createTestDatabase(`gw_${label}`);
  const names = uniqueBusNames(`gw${label}`);
  const db = createDbClient(testDb.url, { max: 4, applicationName: `gw-test-${label}` });
  const bus = await connectBus({ servers: TEST_NATS_SERVERS, names, connectionName: `gateway-test-${label}` });
  await ensureTopology(bus);
  return {
    dbUrl: testDb.url,
    db,
    bus,
    async close() {
      await bus.close();
      await db.close();
      await destroyBusNames(TEST_NATS_SERVERS, names);
      await testDb.drop();
    },
  };
}

export interface Gateway {
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  origin: string;
  wsUrl: string;
}

export interface GatewayOptions {
  env?: Record<string, string>;
  authenticate?: Authenticate;
  /** Another database client for the app (e.g. one pointing at a dead server). */
  db?: DbClient;
  logger?: Logger;
}

/** A gateway listening on a free port of 127.0.0.1, as main would run it. */
export async function startGateway(backends: Backends, options: GatewayOptions = {}): Promise<Gateway> {
  const config = loadConfig({
    DATABASE_URL: backends.dbUrl,
    API_KEYS: API_KEY,
    LOG_LEVEL: 'silent',
    INGEST_URL: 'http://127.0.0.1:9',
    WEB_DIST: '/nonexistent-web-dist',
    ...options.env,
  });
  const app = await buildApp({
    config,
    bus: backends.bus,
    db: options.db ?? backends.db,
    authenticate: options.authenticate ?? createKeyAuthenticator([API_KEY]),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { app, origin: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/ws` };
}

/** What useGateway starts. Its fields are set in beforeAll: read them in tests and hooks, not when the file loads. */
export interface StartedGateway {
  backends: Backends;
  gateway: Gateway;
}

/** Backends of this test file's own and a gateway over them: started before its tests, closed after them. */
export function useGateway(label: string, options: GatewayOptions = {}): StartedGateway {
  const started = {} as StartedGateway;
  beforeAll(async () => {
    started.backends = await startBackends(label);
    started.gateway = await startGateway(started.backends, options);
  });
  afterAll(async () => {
    await started.gateway.app.close();
    await started.backends.close();
  });
  return started;
}

export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A `ws` client that records every frame it gets, parsed against the contract. */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.frames.push(ServerFrame.parse(JSON.parse(String(data)))));
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static async open(url: string, headers: Record<string, string> = { 'x-api-key': API_KEY }): Promise<TestClient> {
    const socket = new WebSocket(url, { headers });
    const client = new TestClient(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return client;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  events(): ImportEvent[] {
    return this.frames.filter((f): f is ImportEvent => f.type !== 'snapshot' && f.type !== 'error');
  }

  /** Waits for the n-th (1-based) frame matching, and returns it. */
  async next<F extends ServerFrame>(match: (frame: ServerFrame) => frame is F, what: string, nth = 1): Promise<F> {
    return waitFor(() => this.frames.filter(match)[nth - 1], what);
  }

  close(): void {
    if (this.socket.readyState === WebSocket.OPEN || this.socket.readyState === WebSocket.CONNECTING) this.socket.terminate();
  }
}

/** The HTTP status a refused upgrade answers with. */
export function refusedUpgrade(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => reject(new Error('the upgrade was accepted')));
    socket.on('error', () => undefined);
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
  });
}

export const isSnapshot = (f: ServerFrame): f is Extract<ServerFrame, { type: 'snapshot' }> => f.type === 'snapshot';
export const isError = (f: ServerFrame): f is Extract<ServerFrame, { type: 'error' }> => f.type === 'error';
export const isEvent = (f: ServerFrame): f is ImportEvent => f.type !== 'snapshot' && f.type !== 'error';

export interface JobSeed {
  tenantId?: string;
  status?: Job['status'];
  filename?: string;
  processedRows?: number;
  createdAt?: Date;
  updatedAt?: Date;
}

/** Inserts one job row and returns its public form. */
export async function insertJob(db: DbClient, seed: JobSeed = {}): Promise<Job> {
  const id = randomUUID();
  const createdAt = seed.createdAt ?? new Date();
  const [row] = await db.db
    .insert(importJobs)
    .values({
      id,
      tenantId: seed.tenantId ?? 'default',
      status: seed.status ?? 'pending',
      template: 'contacts',
      filename: seed.filename ?? `${id}.csv`,
      sizeBytes: 1000,
      sha256: 'ab'.repeat(32),
      objectName: id,
      processedRows: seed.processedRows ?? 0,
      successRows: seed.processedRows ?? 0,
      createdAt,
      updatedAt: seed.updatedAt ?? createdAt,
    })
    .returning();
  if (!row) throw new Error('insert returned nothing');
  return toJob(row);
}

/** A job in a later state (for events), as the processor would publish it. */
export const advance = (job: Job, changes: Partial<Job>, laterMs = 1000): Job => ({
  ...job,
  ...changes,
  updatedAt: new Date(Date.parse(job.updatedAt) + laterMs).toISOString(),
});

export const publish = (bus: Bus, type: EventType, job: Job, tenantId = 'default') =>
  publishEvent(bus, type, job, { tenantId, dedupe: false });

/** Another job like `base` (e.g. one inserted row), under a new id: floods of events need no rows. */
export const copyJob = (base: Job, changes: Partial<Job> = {}): Job => ({ ...base, id: randomUUID(), ...changes });

export async function metricValue(origin: string, name: string): Promise<number> {
  const text = await (await fetch(`${origin}/gateway/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}
