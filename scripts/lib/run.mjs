// One-shot commands (npm ci, turbo) in the foreground, sharing this terminal.
import { spawn } from 'node:child_process';
import { ROOT } from './env.mjs';
import { SetupError } from './log.mjs';

const EXIT_FOR = { SIGINT: 130, SIGTERM: 143 };

/**
 * Runs a command with inherited stdio and resolves with its exit code. A SIGINT/SIGTERM sent to us is passed on;
 * once the command has ended we exit too, as the person asked. `quiet` keeps its output and shows it (on stderr)
 * only if it fails.
 */
export function run(command, args, { env = process.env, cwd = ROOT, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'] });
    const output = [];
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk) => output.push(chunk));
    let interrupted = null;
    const forward = (signal) => {
      interrupted = signal;
      child.kill(signal);
    };
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.on('error', (error) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      reject(new SetupError(`could not run ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      if (interrupted) process.exit(EXIT_FOR[interrupted]);
      if (code !== 0) process.stderr.write(Buffer.concat(output));
      resolve(code ?? 128 + (signal === 'SIGKILL' ? 9 : 15));
    });
  });
}

/** Like run(), but a failure is a SetupError naming the command. */
export async function runOrFail(command, args, options) {
  const code = await run(command, args, options);
  if (code !== 0) throw new SetupError(`\`${[command, ...args].join(' ')}\` failed (exit code ${code})`);
}
