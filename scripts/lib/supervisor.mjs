// Keeps a few long-running Node processes alive in one terminal: prefixed output, restarts with backoff,
// and on SIGINT/SIGTERM a graceful stop of all of them (SIGKILL for whatever is left after 10 s).
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { ROOT } from './env.mjs';
import { formatLogLine } from './format-log.mjs';
import { paint, say, useColor, warn } from './log.mjs';

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 10_000;
const STABLE_MS = 10_000; // up this long: the next crash starts the backoff over
const STARTUP_ATTEMPTS = 5; // never stable after this many starts: broken configuration, give up
const STOP_TIMEOUT_MS = 10_000;
const COLORS = ['35', '34', '32', '33', '36'];

/** services: [{ name, args (for node), env (added to process.env) }]. */
export class Supervisor {
  #services;
  #stopping = null;
  #exitCode = 0;
  #resolveRun = () => {};

  constructor(services) {
    const width = Math.max(...services.map((s) => s.name.length)) + 2;
    this.#services = services.map((service, i) => ({
      ...service,
      prefix: `${paint(COLORS[i % COLORS.length], `[${service.name}]`.padEnd(width))} `,
      child: null,
      exited: Promise.resolve(),
      timer: null,
      delay: FIRST_DELAY_MS,
      starts: 0,
      stable: false,
    }));
  }

  /** Starts every service; resolves with the exit code once they have all stopped (0 after a signal). */
  run() {
    const onSignal = (signal) => (this.#stopping ? this.#killAll('SIGKILL') : this.stop(signal));
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, onSignal);
    // If this process dies unexpectedly, the services (in process groups of their own) must not outlive it.
    process.on('exit', () => this.#killAll('SIGTERM'));
    // `npm start` exits on SIGTERM without passing it on; our parent vanishing means the same.
    const parent = process.ppid;
    const orphaned = () => {
      if (process.ppid === parent) return;
      warn('our parent process is gone');
      this.stop('SIGTERM');
    };
    setInterval(orphaned, 1000).unref();
    for (const service of this.#services) this.#spawn(service);
    return new Promise((resolve) => (this.#resolveRun = resolve));
  }

  get stopping() {
    return Boolean(this.#stopping);
  }

  async stop(signal = 'SIGTERM') {
    if (this.#stopping) return this.#stopping;
    const names = this.#services.map((s) => s.name).join(', ');
    say(`stopping ${names}${signal === 'SIGINT' && process.stdin.isTTY ? ' (Ctrl-C again to force)' : ''}`);
    this.#stopping = (async () => {
      const forward = signal === 'SIGHUP' ? 'SIGTERM' : signal;
      for (const service of this.#services) clearTimeout(service.timer);
      this.#killAll(forward);
      const force = setTimeout(() => {
        warn(`still running after ${STOP_TIMEOUT_MS / 1000} s: killing`);
        this.#killAll('SIGKILL');
      }, STOP_TIMEOUT_MS);
      await Promise.all(this.#services.map((s) => s.exited));
      clearTimeout(force);
      say('all stopped');
      this.#resolveRun(this.#exitCode);
    })();
    return this.#stopping;
  }

  #spawn(service) {
    service.starts += 1;
    service.startedAt = Date.now();
    const child = spawn(process.execPath, service.args, {
      cwd: ROOT,
      env: { ...process.env, ...service.env, ...(useColor ? { FORCE_COLOR: '1' } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: only we signal it, once, in order
    });
    service.child = child;
    service.exited = new Promise((resolve) => child.once('close', resolve));
    this.#pipe(child.stdout, process.stdout, service.prefix);
    this.#pipe(child.stderr, process.stderr, service.prefix);
    child.on('error', (error) => warn(`${service.name}: ${error.message}`));
    child.on('close', (code, signal) => this.#onExit(service, code, signal));
  }

  #pipe(from, to, prefix) {
    const pretty = Boolean(to.isTTY);
    readline.createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => {
      const text = pretty ? formatLogLine(line) : line;
      to.write(
        `${text
          .split('\n')
          .map((part) => prefix + part)
          .join('\n')}\n`,
      );
    });
  }

  #onExit(service, code, signal) {
    service.child = null;
    if (this.#stopping) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    if (Date.now() - service.startedAt >= STABLE_MS) {
      service.stable = true;
      service.delay = FIRST_DELAY_MS;
    }
    if (!service.stable && service.starts >= STARTUP_ATTEMPTS) {
      warn(`${service.name} ${how} on each of its first ${STARTUP_ATTEMPTS} starts; see its output above. Giving up.`);
      this.#exitCode = 1;
      void this.stop('SIGTERM');
      return;
    }
    warn(`${service.name} ${how}; restarting in ${service.delay / 1000} s`);
    service.timer = setTimeout(() => this.#spawn(service), service.delay);
    service.delay = Math.min(service.delay * 2, MAX_DELAY_MS);
  }

  #killAll(signal) {
    for (const { child } of this.#services) {
      if (!child) continue;
      try {
        process.kill(-child.pid, signal);
      } catch {} // already gone
    }
  }
}
