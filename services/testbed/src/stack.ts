import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { BaseEnv, IngestUrlEnv, withIngestUrl, type BusNames } from '@docprocessor/contracts';
import { destroyBusNames, uniqueBusNames } from '@docprocessor/bus/testing';
import { createTestDatabase, type TestDatabase } from '@docprocessor/db/testing';
// The same flags `npm start` gives each service; src/ and dist/ sit at the same depth, so this path holds for both.
import { nodeFlags, runtimeEnv } from '../../../scripts/lib/service-command.mjs';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export type ServiceName = 'ingest' | 'processor' | 'gateway';

export interface StackOptions {
  label?: string;
  apiKey?: string;
  env?: Record<string, string>;
  processors?: number;
  /** Use this database instead of a fresh one (e.g. the benchmark's). */
  databaseUrl?: string;
  natsUrl?: string;
  /** Leave out the tests' own settings (the faster outbox sweep), so the services run exactly as `npm start` runs them (the bench). */
  asStarted?: boolean;
}

/** Where a person reaches the product: a gateway's URL and the key it accepts. A Stack is one; addOrigin makes more. */
export interface Origin {
  url: string;
  apiKey: string;
}

export interface RunningService {
  name: ServiceName;
  child: ChildProcess;
  logs: string[];
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function waitForHttp(url: string, timeoutMs: number, service: RunningService): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) throw new Error(`${service.name} exited early:\n${service.logs.join('')}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${service.logs.join('')}`);
}

/**
 * The whole product as separate processes (ingest, gateway, processors) on a database, NATS names and
 * ports of its own: what a person gets from `npm start`, made disposable for tests and the benchmark.
 */
export class Stack {
  readonly services: RunningService[] = [];
  private constructor(
    readonly env: Record<string, string>,
    readonly names: BusNames,
    readonly url: string,
    readonly apiKey: string,
    private readonly database: TestDatabase | null,
  ) {}

  static async start(options: StackOptions = {}): Promise<Stack> {
    const database = options.databaseUrl ? null : await createTestDatabase(options.label ?? 'stack');
    const names = uniqueBusNames(options.label ?? 'stack');
    const [ingestPort, webPort] = [await freePort(), await freePort()];
    const apiKey = options.apiKey ?? 'stack-key';
    // Only what makes the stack disposable or a test's setting: everything else is the services' own default,
    // as under `npm start` (the processor's batch size, the bind addresses, NODE_ENV and the rest).
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      DATABASE_URL: options.databaseUrl ?? database!.url,
      // The server the tests' own NATS clients use too, so they need it spelt out (as the schema reads it).
      NATS_URL: options.natsUrl ?? BaseEnv.shape.NATS_URL.parse(process.env.NATS_URL || undefined).join(','),
      NATS_STREAM: names.stream,
      NATS_SUBJECT_PREFIX: names.subjectPrefix,
      NATS_OBJECT_BUCKET: names.bucket,
      NATS_CONSUMER: names.consumer,
      // A key of the stack's own, so a test passes only when it sends the key it was given.
      API_KEYS: apiKey,
      INGEST_PORT: String(ingestPort),
      WEB_PORT: String(webPort),
      // Fault tests take NATS away during uploads; the sweeper announcing held-back jobs every second, not every
      // five, keeps them short.
      ...(options.asStarted ? {} : { OUTBOX_SWEEP_MS: '1000' }),
      ...options.env,
    };
    // Spelt out for the tests that call ingest directly: the URL the gateway derives from INGEST_HOST and INGEST_PORT.
    env.INGEST_URL = withIngestUrl(IngestUrlEnv.parse(env)).INGEST_URL;
    const stack = new Stack(env, names, `http://127.0.0.1:${webPort}`, apiKey, database);
    try {
      const ingest = stack.spawn('ingest');
      await waitForHttp(`${env.INGEST_URL}/api/health`, 20_000, ingest);
      const gateway = stack.spawn('gateway');
      await waitForHttp(`${stack.url}/gateway/health`, 20_000, gateway);
      for (let i = 0; i < (options.processors ?? 1); i++) stack.spawn('processor');
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /**
   * One more ingest and gateway, on ports of their own, the gateway proxying to its own ingest: a second origin of
   * the same product (database, NATS names, key), as a second machine behind a load balancer would run it.
   */
  async addOrigin(): Promise<Origin> {
    const [ingestPort, webPort] = [await freePort(), await freePort()];
    const env = { INGEST_PORT: String(ingestPort), WEB_PORT: String(webPort), INGEST_URL: `http://127.0.0.1:${ingestPort}` };
    // Longer than start's 20 s: it runs beside a stack that is already busy.
    await waitForHttp(`${env.INGEST_URL}/api/health`, 60_000, this.spawn('ingest', env));
    const url = `http://127.0.0.1:${webPort}`;
    await waitForHttp(`${url}/gateway/health`, 60_000, this.spawn('gateway', env));
    return { url, apiKey: this.apiKey };
  }

  get databaseUrl(): string {
    return this.env.DATABASE_URL!;
  }

  spawn(name: ServiceName, extraEnv: Record<string, string> = {}): RunningService {
    // BENCH_PROFILE=processor (or another service) writes that service's CPU profile to .bench/profiles when it exits.
    const profile = process.env.BENCH_PROFILE === name ? ['--cpu-prof', `--cpu-prof-dir=${REPO_ROOT}.bench/profiles`] : [];
    const child = spawn(process.execPath, [...nodeFlags(name), ...profile, `${REPO_ROOT}services/${name}/dist/main.js`], {
      env: { ...this.env, ...runtimeEnv(name), ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service: RunningService = { name, child, logs: [] };
    const keep = (chunk: Buffer) => {
      service.logs.push(chunk.toString());
      if (service.logs.length > 2000) service.logs.splice(0, 1000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.services.push(service);
    return service;
  }

  /** Waits until every processor started so far says it is ready to consume. */
  async processorsReady(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const service of this.services.filter((s) => s.name === 'processor' && s.child.exitCode === null)) {
      while (!service.logs.join('').includes('processor ready')) {
        if (service.child.exitCode !== null || Date.now() > deadline) throw new Error(`processor not ready:\n${service.logs.join('')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  logs(name?: ServiceName): string {
    return this.services
      .filter((s) => !name || s.name === name)
      .map((s) => `--- ${s.name} (pid ${s.child.pid}) ---\n${s.logs.join('')}`)
      .join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(this.services.map((s) => stopProcess(s.child)));
    await destroyBusNames(this.env.NATS_URL!.split(','), this.names).catch(() => undefined);
    await this.database?.drop();
  }
}

export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
