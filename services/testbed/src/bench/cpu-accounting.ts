import { readdirSync, readFileSync } from 'node:fs';
import type { Stack } from '../stack.js';

const TICKS_PER_SECOND = 100; // Linux's USER_HZ (`getconf CLK_TCK`), the unit of /proc/<pid>/stat's times

/**
 * The part of a group that is one thread: the processor's JavaScript runs on its main thread, while V8's helper
 * threads (garbage collection, compilation) can use other cores. Shown under the group and not added to the total.
 */
export const MAIN_THREAD = "processor's main thread";

/** CPU seconds (user + system) a process (or, with `thread`, one of its threads) has used so far, from /proc; 0 once it is gone. */
function cpuSecondsOf(pid: number, thread?: number): number {
  try {
    // The command name (field 2) may hold spaces, so count the fields after its closing parenthesis.
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The stack's database's name, as PostgreSQL's backends show it in their process titles. */
const databaseOf = (url: string) => new URL(url).pathname.slice(1);

/**
 * Which group a process belongs to: a service of the stack, a PostgreSQL backend of the stack's database (each job
 * opens a connection of its own, so backends come and go), PostgreSQL's WAL writer, checkpointer and background
 * writer, or the nats-server serving the stack's port (these last two are shared with anyone else on the servers).
 */
function classifier(stack: Stack): (pid: number) => string | null {
  const services = new Map(stack.services.filter((s) => s.child.pid).map((s) => [s.child.pid!, s.name as string]));
  const backend = ` ${databaseOf(stack.databaseUrl)} `;
  const natsPort = new URL(stack.env.NATS_URL!.split(',')[0]!).port || '4222';
  return (pid) => {
    const service = services.get(pid);
    if (service) return service;
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (args.startsWith('postgres: ')) {
        if (args.includes(backend)) return 'PostgreSQL backends';
        if (/: (walwriter|checkpointer|background writer)\s*$/.test(args)) return 'PostgreSQL WAL/checkpoint';
        return null;
      }
      if (
        readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'nats-server' &&
        (!/(-p|--port)[ =]\d/.test(args) || new RegExp(`(-p|--port)[ =]${natsPort}\\b`).test(args))
      )
        return 'NATS';
    } catch {
      // gone meanwhile
    }
    return null;
  };
}

const SAMPLE_MS = 200;

/**
 * CPU seconds per group over one run, from /proc: processes are looked for every 200 ms, so a backend that starts
 * during the run is charged from zero and one that ends is charged up to its last sighting (at most 200 ms short).
 */
export class CpuMeter {
  private readonly classify: (pid: number) => string | null;
  private readonly groups = new Map<number, string | null>();
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | null = null;
  private ownStart = process.cpuUsage();

  constructor(stack: Stack) {
    this.classify = classifier(stack);
  }

  private sample(starting: boolean): void {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      if (!this.groups.has(pid)) this.groups.set(pid, this.classify(pid));
      if (this.groups.get(pid) === null) continue;
      const seconds = cpuSecondsOf(pid);
      if (seconds === 0 && !starting) continue; // gone: keep its last sighting
      if (starting) this.first.set(pid, seconds);
      this.last.set(pid, seconds);
      if (this.groups.get(pid) === 'processor') this.sampleMainThread(pid, starting);
    }
  }

  /** A process's main thread has the process's id; kept under the negative id so it is not taken for a process. */
  private sampleMainThread(pid: number, starting: boolean): void {
    const seconds = cpuSecondsOf(pid, pid);
    if (seconds === 0 && !starting) return;
    this.groups.set(-pid, MAIN_THREAD);
    if (starting) this.first.set(-pid, seconds);
    this.last.set(-pid, seconds);
  }

  start(): void {
    this.ownStart = process.cpuUsage();
    this.sample(true);
    this.timer = setInterval(() => this.sample(false), SAMPLE_MS);
  }

  /** CPU per group so far (the upload's share, when called as the upload is answered). */
  spentSoFar(): Map<string, number> {
    this.sample(false);
    return this.spent();
  }

  stop(): Map<string, number> {
    if (this.timer) clearInterval(this.timer);
    this.sample(false);
    return this.spent();
  }

  private spent(): Map<string, number> {
    const spent = new Map<string, number>();
    for (const [pid, seconds] of this.last) {
      const group = this.groups.get(pid)!;
      spent.set(group, (spent.get(group) ?? 0) + seconds - (this.first.get(pid) ?? 0));
    }
    const own = process.cpuUsage(this.ownStart);
    spent.set('bench client', (own.user + own.system) / 1e6);
    return spent;
  }
}
