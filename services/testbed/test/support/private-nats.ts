import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect as tcpConnect } from 'node:net';
import { freePort, stopProcess } from '../../src/stack.js';
import { scratchDir, type ScratchDir } from './scratch-dir.js';
import { eventually } from './wait.js';

async function listening(port: number): Promise<boolean> {
  const socket = tcpConnect({ host: '127.0.0.1', port });
  try {
    await Promise.race([once(socket, 'connect'), once(socket, 'error').then(([error]) => Promise.reject(error))]);
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

/** A NATS server of the test's own (own port, own store directory), so it can be stopped without disturbing anyone else. */
export class PrivateNats {
  private child: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    private readonly dir: ScratchDir,
    /** More command-line options (a cluster member's name, cluster port and routes: see nats-cluster.ts). */
    private readonly args: string[],
  ) {}

  static async start(options: { port?: number; args?: string[] } = {}): Promise<PrivateNats> {
    const server = new PrivateNats(options.port ?? (await freePort()), await scratchDir('nats'), options.args ?? []);
    try {
      await server.start();
    } catch (error) {
      await server.destroy();
      throw error;
    }
    return server;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.child) return;
    const args = ['-js', '-a', '127.0.0.1', '-p', String(this.port), '-sd', this.dir.path, ...this.args];
    this.child = spawn('/usr/sbin/nats-server', args, { stdio: 'ignore' });
    const child = this.child;
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
        return listening(this.port);
      },
      `nats-server on port ${this.port}`,
      20_000,
    );
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** SIGTERM lets the server shut down cleanly; SIGKILL is a power cut. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child) await stopProcess(child, signal);
  }

  async destroy(): Promise<void> {
    await this.stop();
    await this.dir.remove();
  }
}
