import { parseArgs } from 'node:util';
import { HeaderMappingInput, OnDuplicate } from '@docprocessor/contracts';

/** Wrong usage: the message, the usage text, and exit code 2. */
export class UsageError extends Error {}

export const USAGE = `Usage: npm run import -- <file> [options]

Uploads <file> (CSV or .xlsx) to DocProcessor at DOCPROCESSOR_URL with the key DOCPROCESSOR_KEY.

Options:
  --template T          template to import with (default contacts; auto infers one)
  --table NAME          with --template auto: the table to create
  --on-duplicate P      error (default) or last
  --dry-run             check only: write nothing, report the plan
  --mapping JSON        file header -> template column, e.g. '{"E-mail":"email"}'
  --sheet S             a workbook's sheet, by name or number
  --follow              follow the import live until it ends (the default on a terminal)
  --no-follow           only upload, print the job and exit
  --json                print the final job as JSON on stdout (progress stays on stderr)
  -h, --help            this text

Exit code: 0 completed with no failed rows, 1 failed rows or a failed job, 2 usage or connection errors.`;

export interface ImportArgs {
  file: string;
  /** Upload form fields, in the order they are sent (before the file). */
  fields: [string, string][];
  follow: boolean;
  json: boolean;
}

export type ImportCommand = { command: 'help' } | ({ command: 'import' } & ImportArgs);

/** Reads the command line; `interactive` (stderr is a terminal) makes following the default. */
export function parseImportArgs(argv: readonly string[], interactive: boolean): ImportCommand {
  let parsed: ReturnType<typeof readOptions>;
  try {
    parsed = readOptions(argv);
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, ''), { cause: error });
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (positionals.length !== 1)
    throw new UsageError(positionals.length ? `one file at a time (got ${positionals.length})` : 'no file given');
  const fields: [string, string][] = [];
  if (values.template) fields.push(['template', values.template]);
  if (values.table) fields.push(['table', values.table]);
  if (values['on-duplicate']) {
    const policy = OnDuplicate.safeParse(values['on-duplicate']);
    if (!policy.success) throw new UsageError(`--on-duplicate takes ${OnDuplicate.options.join(' or ')}`);
    fields.push(['onDuplicate', policy.data]);
  }
  if (values['dry-run']) fields.push(['dryRun', 'true']);
  if (values.mapping) fields.push(['mapping', checkedMapping(values.mapping)]);
  if (values.sheet) fields.push(['sheet', values.sheet]);
  if (values.follow && values['no-follow']) throw new UsageError('--follow and --no-follow together');
  const follow = values.follow || (!values['no-follow'] && interactive);
  return { command: 'import', file: positionals[0]!, fields, follow, json: values.json };
}

const readOptions = (argv: readonly string[]) =>
  parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      template: { type: 'string' },
      table: { type: 'string' },
      'on-duplicate': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      mapping: { type: 'string' },
      sheet: { type: 'string' },
      follow: { type: 'boolean', default: false },
      'no-follow': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });

/** The server checks the mapping too; checking here turns a typo into a usage error before a large upload. */
function checkedMapping(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--mapping is not JSON: ${text}`);
  }
  if (!HeaderMappingInput.safeParse(value).success)
    throw new UsageError('--mapping must be a JSON object of file header -> template column (or null to ignore it)');
  return text;
}
