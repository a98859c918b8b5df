// What the scripts themselves say, set apart from the services' own logs.
export const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

export const paint = (code, text) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);

export const say = (message) => console.log(`${paint('36', '»')} ${message}`);

export const warn = (message) => console.error(paint('33', `» warning: ${message}`));

/** A problem the person running the script can fix; its message says how. Printed without a stack. */
export class SetupError extends Error {
  name = 'SetupError';
}

/** Runs a script's main(): its result is the exit code; a SetupError prints its message and exits 1. */
export function runMain(main) {
  // Until a child command or the supervisor takes the signals over, stop at once, but through process.exit,
  // so that 'exit' handlers still stop what we started (a nats-server).
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ])
    process.on(signal, () => process.listenerCount(signal) === 1 && process.exit(code));
  main().then(
    (code) => process.exit(code ?? 0),
    (error) => {
      console.error(error instanceof SetupError ? paint('31', `» ${error.message}`) : error);
      process.exit(1);
    },
  );
}
