import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { Stack, type StackOptions } from '../../src/stack.js';
import { BusProbe } from './bus-probe.js';
import { openDb } from './db.js';
import { NatsLog } from './nats-log.js';
import { PrivateNats } from './private-nats.js';

export interface UseStackOptions extends StackOptions {
  /** Names the stack's database and NATS names, and its log file under FAULT_TEST_LOGS. */
  label: string;
  /** Record every job event on NATS from the start, as `nats sub` would: `nats`. */
  natsLog?: boolean;
  /** Run the stack on a NATS server of the file's own, which its tests may stop and start: `natsServer`. */
  privateNats?: boolean;
}

/**
 * The whole product for one test file, as `npm start` runs it, on a database and NATS names of its own: started
 * with every processor ready before the file's tests (beforeAll), stopped and removed after them (afterAll).
 * Made by `useStack` at the top of a file or describe block; what it holds is there inside tests and later hooks.
 */
export class TestStack {
  #stack: Stack | undefined;
  #sql: postgres.Sql | undefined;
  #bus: BusProbe | undefined;
  #nats: NatsLog | undefined;
  #natsServer: PrivateNats | undefined;

  constructor(private readonly options: UseStackOptions) {
    beforeAll(() => this.#start(), 120_000);
    afterAll(() => this.#stop(), 60_000);
  }

  get stack(): Stack {
    return started(this.#stack, 'stack');
  }

  /** A plain SQL handle on the stack's own database (what `psql` would show a person). */
  get sql(): postgres.Sql {
    return started(this.#sql, 'sql');
  }

  get bus(): BusProbe {
    return started(this.#bus, 'bus');
  }

  get nats(): NatsLog {
    return started(this.#nats, 'nats (with natsLog: true)');
  }

  get natsServer(): PrivateNats {
    return started(this.#natsServer, 'natsServer (with privateNats: true)');
  }

  async #start(): Promise<void> {
    const { natsLog, privateNats, ...stackOptions } = this.options;
    if (privateNats) this.#natsServer = await PrivateNats.start();
    this.#stack = await Stack.start({ ...stackOptions, natsUrl: this.#natsServer?.url ?? stackOptions.natsUrl });
    await this.#stack.processorsReady();
    this.#sql = openDb(this.#stack);
    this.#bus = BusProbe.of(this.#stack);
    if (natsLog) this.#nats = await NatsLog.open(this.#stack);
  }

  async #stop(): Promise<void> {
    await keepLogs(this.#stack, this.options.label);
    await this.#nats?.close().catch(() => undefined);
    await this.#sql?.end({ timeout: 5 }).catch(() => undefined);
    await this.#stack?.stop();
    await this.#natsServer?.destroy();
  }
}

export const useStack = (options: UseStackOptions): TestStack => new TestStack(options);

/** `value` once the file's hooks made it; a clear error when a test reaches for it too early. */
export function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what}: it is there inside tests and the hooks registered after the stack's`);
  return value;
}

/** With FAULT_TEST_LOGS=<dir>, every service's output of the stack is kept there for a post-mortem. */
export async function keepLogs(stack: Stack | undefined, label: string): Promise<void> {
  const into = process.env.FAULT_TEST_LOGS;
  if (!into || !stack) return;
  await mkdir(into, { recursive: true });
  await writeFile(join(into, `${label}.log`), stack.logs());
}
