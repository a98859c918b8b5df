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
  /** Record every job event on NATS from the start, as `nats sub` would: the handle's `nats`. */
  natsLog?: boolean;
  /** Run the stack on a NATS server of the file's own, which its tests may stop and start: the handle's `natsServer`. */
  privateNats?: boolean;
}

/** What a test file gets from `useStack`, valid inside its tests and the hooks registered after the call. */
export interface StackHandle {
  readonly stack: Stack;
  /** A plain SQL handle on the stack's own database (what `psql` would show a person). */
  readonly sql: postgres.Sql;
  readonly bus: BusProbe;
  readonly nats: NatsLog;
  readonly natsServer: PrivateNats;
}

/**
 * Starts the whole product for one test file, as `npm start` runs it, on a database and NATS names of its own
 * (beforeAll), with every processor ready; stops it and removes all of it after the file (afterAll).
 */
export function useStack(options: UseStackOptions): StackHandle {
  const { label, natsLog, privateNats, ...stackOptions } = options;
  let stack: Stack;
  let sql: postgres.Sql;
  let bus: BusProbe;
  let nats: NatsLog | undefined;
  let natsServer: PrivateNats | undefined;

  beforeAll(async () => {
    if (privateNats) natsServer = await PrivateNats.start();
    stack = await Stack.start({ label, ...stackOptions, natsUrl: natsServer?.url ?? stackOptions.natsUrl });
    await stack.processorsReady();
    sql = openDb(stack);
    bus = BusProbe.of(stack);
    if (natsLog) nats = await NatsLog.open(stack);
  }, 120_000);

  afterAll(async () => {
    await keepLogs(stack, label);
    await nats?.close().catch(() => undefined);
    await sql?.end({ timeout: 5 }).catch(() => undefined);
    await stack?.stop();
    await natsServer?.destroy();
  }, 60_000);

  return {
    get stack() {
      return stack;
    },
    get sql() {
      return sql;
    },
    get bus() {
      return bus;
    },
    get nats() {
      if (!nats) throw new Error('no NatsLog: call useStack({ natsLog: true })');
      return nats;
    },
    get natsServer() {
      if (!natsServer) throw new Error('no NATS server of its own: call useStack({ privateNats: true })');
      return natsServer;
    },
  };
}

/** With FAULT_TEST_LOGS=<dir>, every service's output of the stack is kept there for a post-mortem. */
async function keepLogs(stack: Stack | undefined, label: string): Promise<void> {
  const into = process.env.FAULT_TEST_LOGS;
  if (!into || !stack) return;
  await mkdir(into, { recursive: true });
  await writeFile(join(into, `${label}.log`), stack.logs());
}
