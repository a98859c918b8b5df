import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The options every admin command takes, with the same letters in each. */
export const COMMON_OPTIONS = {
  tenant: { type: 'string', short: 't' },
  role: { type: 'string', short: 'r' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;
type CommandLine<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/**
 * Splits an admin command line into options and positionals (the command first). Anything parseArgs refuses
 * becomes the command's own usage error, so the caller prints it with its pointer to --help and exits 2.
 */
export function readCommandLine<const O extends Options>(
  argv: readonly string[],
  options: O,
  UsageError: new (message: string, options?: ErrorOptions) => Error,
): CommandLine<O> {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (error) {
    // Node's message goes on to explain `--`, which is no help here: keep its first sentence.
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, ''), { cause: error });
  }
}
